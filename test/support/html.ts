import { DomUtils, parseDocument } from 'htmlparser2';

/**
 * Reading pages and mails the way a browser does (htmlparser2), so that the security suites check what
 * is rendered, not what a string search happens to find: markup that a value broke out into becomes
 * elements and attributes here, exactly as it would in a browser.
 */
export type HtmlDocument = ReturnType<typeof parseDocument>;
export type HtmlElement = ReturnType<typeof DomUtils.findAll>[number];
type HtmlNode = HtmlDocument['children'][number];

export const parseHtml = (html: string): HtmlDocument => parseDocument(html);

/**
 * An inline SVG as XML. htmlparser2 reads `<title>` as raw text even inside `<svg>`, where a browser
 * parses markup; in XML mode every tag is an element, so markup in an SVG title cannot hide.
 */
export const parseSvg = (svg: string): HtmlDocument => parseDocument(svg, { xmlMode: true });

export const allElements = (
  root: HtmlDocument | HtmlElement,
  test: (el: HtmlElement) => boolean = () => true,
): HtmlElement[] => DomUtils.findAll(test, root.children);

export const byTag = (root: HtmlDocument | HtmlElement, name: string): HtmlElement[] =>
  allElements(root, (el) => el.name === name);

export function byId(root: HtmlDocument | HtmlElement, id: string): HtmlElement {
  const el = DomUtils.getElementById(id, root.children);
  if (!el) throw new Error(`no element #${id} on the page`);
  return el;
}

/**
 * The text of an element as a browser shows it. A textarea's content is RCDATA (entities decoded);
 * htmlparser2 keeps it raw, so it is decoded here, and markup in it (a `{{{ }}}` regression) is lost as
 * it would be in a browser, so the text no longer equals what was typed.
 */
export function textOf(node: HtmlNode | HtmlDocument): string {
  if (DomUtils.isTag(node as HtmlNode) && (node as HtmlElement).name === 'textarea') {
    return DomUtils.textContent(parseDocument(DomUtils.textContent(node as HtmlElement)));
  }
  if (DomUtils.isTag(node as HtmlNode) && ['script', 'style'].includes((node as HtmlElement).name)) return '';
  if (DomUtils.isText(node as HtmlNode)) return (node as { data: string }).data;
  if ('children' in node) return (node.children as HtmlNode[]).map((child) => textOf(child)).join('');
  return '';
}

/** The value of the `<dd>` after the `<dt>` whose text is `term`. */
export function definition(root: HtmlDocument | HtmlElement, term: string): HtmlElement {
  const dt = allElements(root, (el) => el.name === 'dt' && textOf(el).trim() === term)[0];
  const dd = dt ? DomUtils.nextElementSibling(dt) : null;
  if (!dd || dd.name !== 'dd') throw new Error(`no definition for "${term}" on the page`);
  return dd;
}

/** The cells of each table body row, as text. */
export const tableRows = (root: HtmlDocument | HtmlElement): string[][] =>
  byTag(root, 'tbody').flatMap((body) =>
    byTag(body, 'tr').map((tr) =>
      tr.children.filter((c) => DomUtils.isTag(c) && ['td', 'th'].includes(c.name)).map((c) => textOf(c)),
    ),
  );

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
/** Browsers drop ASCII whitespace and control characters inside a URL scheme: `java\tscript:` runs too. */
const isScriptUrl = (value: string) =>
  /^(javascript|vbscript|data):/i.test(value.replace(/[\u0000-\u0020]/g, '')); // eslint-disable-line no-control-regex -- they are what is stripped

/**
 * Nothing on the page runs or loads what a user typed: no inline script (the app's scripts are files
 * under /assets), no event-handler attribute, no script URL, no `<base>`/`<meta refresh>`/`<iframe>`/
 * `<object>`/`<embed>`. Returns the problems found (an empty list when the page is inert), so that a
 * test can name the page and payload in its failure.
 */
export function injectedMarkup(doc: HtmlDocument): string[] {
  const problems: string[] = [];
  for (const el of allElements(doc)) {
    const name = el.name.toLowerCase();
    if (
      name === 'script' &&
      (!/^\/assets\//.test(el.attribs.src ?? '') || DomUtils.textContent(el).trim() !== '')
    ) {
      problems.push(`inline <script>: ${DomUtils.textContent(el).slice(0, 80)}`);
    }
    if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset'].includes(name))
      problems.push(`<${name}> element`);
    if (name === 'meta' && /refresh/i.test(el.attribs['http-equiv'] ?? ''))
      problems.push('<meta http-equiv=refresh>');
    for (const [attribute, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(attribute)) problems.push(`<${name} ${attribute}="${value.slice(0, 80)}">`);
      if (URL_ATTRIBUTES.includes(attribute.toLowerCase()) && isScriptUrl(value))
        problems.push(`<${name} ${attribute}="${value.slice(0, 80)}">`);
    }
  }
  return problems;
}

/** `injectedMarkup` of the inline SVGs of a page, each read as XML (see parseSvg). */
export function injectedSvgMarkup(html: string): string[] {
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  return svgs.flatMap((svg) => {
    const doc = parseSvg(svg);
    const allowed = new Set(['svg', 'title', 'desc', 'rect', 'text', 'g']);
    return [
      ...injectedMarkup(doc),
      ...allElements(doc)
        .filter((el) => !allowed.has(el.name))
        .map((el) => `<${el.name}> inside the SVG`),
    ];
  });
}
