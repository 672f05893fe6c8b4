/** Small DOM helpers: elements from a tag and attributes, and updates that touch the DOM only when a value changed. */

type Attributes = Record<string, string | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Sets text content (never HTML: device names and reasons come from the network). */
export function setText(node: Element, value: string): void {
  if (node.textContent !== value) node.textContent = value;
}

export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** Replaces the children of `parent` with `children` only if their rendering differs (cheap for small lists). */
export function replaceChildren(parent: Element, children: Element[]): void {
  const next = children.map((c) => c.outerHTML).join('');
  if (parent.innerHTML !== next) parent.replaceChildren(...children);
}
