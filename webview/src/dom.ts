/** DOM building blocks shared by the webview panels (the suggestion panel and the thread view). */

/** Creates a `tag` element with an optional id and class, and `attributes` set as given. */
export type ElementFactory = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: { id?: string; className?: string },
  attributes?: Record<string, string>,
) => HTMLElementTagNameMap[K];

export function elementFactory(doc: Document): ElementFactory {
  return (tag, props = {}, attributes = {}) => {
    const element = doc.createElement(tag);
    if (props.id) element.id = props.id;
    if (props.className) element.className = props.className;
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  };
}

/**
 * A `.action` button of a panel's actions bar: `label` as its text, `description` as its tooltip.
 * It starts disabled: the panel's first render enables what the state allows.
 */
export function actionButton(doc: Document, id: string, label: string, description: string, onClick: () => void): HTMLButtonElement {
  const button = doc.createElement('button');
  button.id = id;
  button.className = 'action';
  button.type = 'button';
  button.textContent = label;
  button.title = description;
  button.disabled = true;
  button.addEventListener('click', onClick);
  return button;
}

/** Sets the text only when it differs: a rewrite would replace the text node (and restyle) for nothing. */
export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
