/**
 * Building the page's DOM without markup: every string becomes a text node or an attribute
 * value set through the DOM, so a function name like `<img onerror=...>` shows as those
 * characters and never runs. The view's CSP would block inline handlers anyway; this keeps the
 * page correct rather than merely blocked.
 */
import type { SvgNode } from './chart';

export type Child = Node | string | undefined | false;
export type Attributes = Record<string, string | number | boolean | undefined>;

/** An HTML element with attributes (`false`/`undefined` leave one out) and children (strings as text). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The chart's node tree as SVG elements and text nodes. */
export function svgElement(node: SvgNode): Node {
  if ('text' in node) return document.createTextNode(node.text);
  const element = document.createElementNS(SVG_NS, node.tag);
  for (const [name, value] of Object.entries(node.attrs)) if (name !== 'xmlns') element.setAttribute(name, String(value));
  for (const child of node.children) element.append(svgElement(child));
  return element;
}
