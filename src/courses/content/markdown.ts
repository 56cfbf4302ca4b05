import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Where a lesson asks for the program's local referral contacts (configuration, never course text). */
export const CONTACTS_PLACEHOLDER = '{{local-referral-contacts}}';
export const CONTACTS_MARKER = '<!--cascada:local-referral-contacts-->';

/**
 * Lesson Markdown → sanitised HTML, once, at import. Only plain document markup survives: no
 * scripts, styles, event handlers, iframes or foreign images. Images may only come from the
 * course's own assets folder.
 */
export function renderLesson(markdown: string, courseSlug: string): string {
  const raw = marked.parse(markdown, { async: false, gfm: true }) as string;
  const clean = sanitizeHtml(raw, {
    allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt'], th: ['scope'] },
    allowedSchemes: ['https', 'http', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    transformTags: {
      // h1 belongs to the page; lesson headings start at h2.
      h1: 'h2',
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener' } }),
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const src = attribs.src ?? '';
        const file = /^(?:\.\/)?assets\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(src)?.[1];
        const attrs: sanitizeHtml.Attributes = file ? { src: `/content/${courseSlug}/assets/${file}`, alt: attribs.alt ?? '' } : {};
        return { tagName, attribs: attrs };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src?.startsWith(`/content/${courseSlug}/assets/`),
  });
  return clean.replace(/<p>\s*\{\{local-referral-contacts\}\}\s*<\/p>/g, CONTACTS_MARKER);
}

/** Words of a lesson body (front matter excluded), as `wc -w` counts them. */
export const countWords = (markdown: string): number => markdown.split(/\s+/).filter(Boolean).length;
