import { CONTACTS_MARKER, renderLesson } from './markdown';

describe('lesson Markdown rendering', () => {
  it('renders headings, lists and emphasis', () => {
    const html = renderLesson('# Title\n\n## Objective\n\nLearn **this**.\n\n- one\n- two', 'c');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<strong>this</strong>');
    expect(html).toContain('<li>one</li>');
  });

  it('strips scripts, event handlers and javascript: links', () => {
    const html = renderLesson('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <b onclick="x()">b</b>', 'c');
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:/i);
  });

  it('keeps only images from the course assets folder', () => {
    const html = renderLesson('![map](assets/map.png) ![ext](https://evil.example/x.png)', 'upp');
    expect(html).toContain('<img src="/content/upp/assets/map.png" alt="map" />');
    expect(html).not.toContain('evil.example');
  });

  it('turns the local referral contacts placeholder into a marker', () => {
    const html = renderLesson('Before\n\n{{local-referral-contacts}}\n\nAfter', 'c');
    expect(html).toContain(CONTACTS_MARKER);
    expect(html).not.toContain('{{local-referral-contacts}}');
  });
});
