// The one way the app builds DOM: createElement + textContent, never HTML strings.

/** h('button', {class, testid, on: {click}, 'aria-x': …, dataset}, ...children) -> Element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'on') {
      for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    } else if (key === 'testid') {
      el.setAttribute('data-testid', value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'style') {
      Object.assign(el.style, value); // CSSOM, allowed under a CSP without 'unsafe-inline'
    } else if (key === 'dataset') {
      for (const [name, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[name] = v;
    } else if (key === 'value' || key === 'disabled' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === '') continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Bring the tree under parent to nodes in place when only texts and attribute values differ, so a
 * text selection, a screen reader's reading position and listeners survive; false, with nothing
 * touched, when the shapes differ. */
export function patchInPlace(parent, nodes) {
  if (!sameShape(parent.childNodes, nodes)) return false;
  patch(parent.childNodes, nodes);
  return true;
}

function sameShape(olds, news) {
  if (olds.length !== news.length) return false;
  for (let i = 0; i < olds.length; i += 1) {
    const [a, b] = [olds[i], news[i]];
    if (a.nodeType !== b.nodeType) return false;
    if (a.nodeType !== Node.ELEMENT_NODE) continue;
    if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) return false;
    for (const { name } of b.attributes) if (!a.hasAttribute(name)) return false;
    if (!sameShape(a.childNodes, b.childNodes)) return false;
  }
  return true;
}

function patch(olds, news) {
  for (let i = 0; i < olds.length; i += 1) {
    const [a, b] = [olds[i], news[i]];
    if (a.nodeType !== Node.ELEMENT_NODE) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
      continue;
    }
    for (const { name, value } of b.attributes) if (a.getAttribute(name) !== value) a.setAttribute(name, value);
    patch(a.childNodes, b.childNodes);
  }
}
