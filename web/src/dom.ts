// A small element builder and the GOV.UK Frontend component markup the screens use. Text is
// always set as text, never parsed as HTML, so nothing a member typed can become markup.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined | ((event: Event) => void)>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  append(element, children);
  return element;
}

export function append(parent: HTMLElement, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

let counter = 0;
export const uid = (prefix: string): string => `${prefix}-${++counter}`;

export interface FieldOptions {
  name: string;
  label: string;
  type?: string;
  value?: string;
  hint?: string;
  autocomplete?: string;
  width?: string;
  heading?: boolean;
  inputmode?: string;
  spellcheck?: boolean;
}

/** A GOV.UK text input with label, hint and a place for its error message. */
export function field(options: FieldOptions): HTMLElement {
  const id = options.name;
  const hintId = `${id}-hint`;
  const label = h("label", { class: "govuk-label", for: id }, options.label);
  const input = h("input", {
    class: `govuk-input${options.width ? ` govuk-input--width-${options.width}` : ""}`,
    id,
    name: options.name,
    type: options.type ?? "text",
    autocomplete: options.autocomplete,
    inputmode: options.inputmode,
    spellcheck: options.spellcheck === false ? "false" : undefined,
    "aria-describedby": options.hint ? hintId : undefined,
  }) as HTMLInputElement;
  input.value = options.value ?? "";
  return h(
    "div",
    { class: "govuk-form-group", "data-field": options.name },
    options.heading
      ? h("h1", { class: "govuk-label-wrapper" }, label)
      : label,
    options.hint ? h("div", { class: "govuk-hint", id: hintId }, options.hint) : null,
    input,
  );
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  checked?: boolean;
  disabled?: boolean;
}

/** GOV.UK radios or checkboxes in a fieldset with a legend. */
export function choices(
  kind: "radio" | "checkbox",
  name: string,
  legend: string,
  items: Choice[],
  hint?: string,
): HTMLElement {
  const block = kind === "radio" ? "govuk-radios" : "govuk-checkboxes";
  const hintId = `${name}-hint`;
  return h(
    "div",
    { class: "govuk-form-group", "data-field": name },
    h(
      "fieldset",
      { class: "govuk-fieldset", "aria-describedby": hint ? hintId : undefined },
      h("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s" }, legend),
      hint ? h("div", { class: "govuk-hint", id: hintId }, hint) : null,
      h(
        "div",
        { class: block, "data-module": block },
        ...items.map((item, index) => {
          const id = `${name}-${index}`;
          const itemHint = item.hint ? `${id}-hint` : undefined;
          return h(
            "div",
            { class: `${block}__item` },
            h("input", {
              class: `${block}__input`,
              id,
              name,
              type: kind,
              value: item.value,
              checked: item.checked ?? false,
              disabled: item.disabled ?? false,
              "aria-describedby": itemHint,
            }),
            h("label", { class: `govuk-label ${block}__label`, for: id }, item.label),
            item.hint ? h("div", { class: `govuk-hint ${block}__hint`, id: itemHint }, item.hint) : null,
          );
        }),
      ),
    ),
  );
}

export function button(text: string, attrs: Attrs = {}): HTMLElement {
  const extra = typeof attrs.class === "string" ? ` ${attrs.class}` : "";
  return h(
    "button",
    { type: "submit", "data-module": "govuk-button", ...attrs, class: `govuk-button${extra}` },
    text,
  );
}

export function link(text: string, href: string, attrs: Attrs = {}): HTMLElement {
  return h("a", { class: "govuk-link", href, ...attrs }, text);
}

export const heading = (text: string, size: "xl" | "l" | "m" = "l"): HTMLElement =>
  h("h1", { class: `govuk-heading-${size}`, id: "page-heading" }, text);

export const para = (...children: Child[]): HTMLElement =>
  h("p", { class: "govuk-body" }, ...children);

export function inset(...children: Child[]): HTMLElement {
  return h("div", { class: "govuk-inset-text" }, ...children);
}

export function warning(text: string, assistive: string): HTMLElement {
  return h(
    "div",
    { class: "govuk-warning-text" },
    h("span", { class: "govuk-warning-text__icon", "aria-hidden": "true" }, "!"),
    h(
      "strong",
      { class: "govuk-warning-text__text" },
      h("span", { class: "govuk-visually-hidden" }, assistive),
      text,
    ),
  );
}

export function banner(title: string, text: string, success = false): HTMLElement {
  return h(
    "div",
    {
      class: `govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`,
      role: success ? "alert" : "region",
      "aria-labelledby": "banner-title",
      "data-module": "govuk-notification-banner",
      tabindex: "-1",
    },
    h(
      "div",
      { class: "govuk-notification-banner__header" },
      h("h2", { class: "govuk-notification-banner__title", id: "banner-title" }, title),
    ),
    h(
      "div",
      { class: "govuk-notification-banner__content" },
      h("p", { class: "govuk-notification-banner__heading" }, text),
    ),
  );
}

export function details(summary: string, ...children: Child[]): HTMLElement {
  return h(
    "details",
    { class: "govuk-details" },
    h("summary", { class: "govuk-details__summary" }, h("span", { class: "govuk-details__summary-text" }, summary)),
    h("div", { class: "govuk-details__text" }, ...children),
  );
}

export function tag(text: string, colour?: string): HTMLElement {
  return h("strong", { class: `govuk-tag${colour ? ` govuk-tag--${colour}` : ""}` }, text);
}

export function table(caption: string, head: string[], rows: Child[][]): HTMLElement {
  return h(
    "table",
    { class: "govuk-table" },
    h("caption", { class: "govuk-table__caption govuk-table__caption--m" }, caption),
    h(
      "thead",
      { class: "govuk-table__head" },
      h(
        "tr",
        { class: "govuk-table__row" },
        ...head.map((text) => h("th", { scope: "col", class: "govuk-table__header" }, text)),
      ),
    ),
    h(
      "tbody",
      { class: "govuk-table__body" },
      ...rows.map((cells) =>
        h("tr", { class: "govuk-table__row" }, ...cells.map((cell) => h("td", { class: "govuk-table__cell" }, cell))),
      ),
    ),
  );
}

export function summaryList(rows: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "govuk-summary-list" },
    ...rows.map(([key, value]) =>
      h(
        "div",
        { class: "govuk-summary-list__row" },
        h("dt", { class: "govuk-summary-list__key" }, key),
        h("dd", { class: "govuk-summary-list__value" }, value),
      ),
    ),
  );
}

/** Form values by name; checkboxes sharing a name come back as a list. */
export function values(form: HTMLFormElement): Record<string, string> {
  const data = new FormData(form);
  const result: Record<string, string> = {};
  for (const [name, value] of data.entries()) {
    if (typeof value === "string" && !(name in result)) result[name] = value;
  }
  return result;
}

export function checked(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).filter((value): value is string => typeof value === "string");
}

/** `parent.append` that skips absent children. */
export function add(parent: HTMLElement, ...children: Child[]): void {
  append(parent, children);
}
