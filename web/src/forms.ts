// Form plumbing shared by the screens: the GOV.UK error summary and inline errors, and a
// guard so a slow request cannot be sent twice by a second click.
import { ApiError } from "./api";
import { h } from "./dom";
import { errorText, t } from "./i18n";

export interface FieldError {
  field?: string;
  message: string;
}

export function clearErrors(form: HTMLFormElement): void {
  document.querySelectorAll(".govuk-error-summary").forEach((node) => node.remove());
  form.querySelectorAll(".govuk-error-message").forEach((node) => node.remove());
  form.querySelectorAll(".govuk-form-group--error").forEach((node) => {
    node.classList.remove("govuk-form-group--error");
  });
  form.querySelectorAll(".govuk-input--error").forEach((node) => {
    node.classList.remove("govuk-input--error");
    node.removeAttribute("aria-invalid");
  });
}

export function showErrors(form: HTMLFormElement, errors: FieldError[]): void {
  clearErrors(form);
  const items = errors.map((error) => {
    const group = error.field ? form.querySelector<HTMLElement>(`[data-field="${error.field}"]`) : null;
    const input = group?.querySelector<HTMLInputElement>("input, select, textarea");
    if (group && input) {
      group.classList.add("govuk-form-group--error");
      const messageId = `${input.id}-error`;
      const message = h(
        "p",
        { class: "govuk-error-message", id: messageId },
        h("span", { class: "govuk-visually-hidden" }, `${t("common.error")}: `),
        error.message,
      );
      const anchor = group.querySelector(".govuk-fieldset__legend, .govuk-hint, label");
      const hintOrLabel = group.querySelector(".govuk-hint") ?? anchor;
      hintOrLabel?.after(message);
      if (input.classList.contains("govuk-input")) input.classList.add("govuk-input--error");
      input.setAttribute("aria-invalid", "true");
      const described = input.getAttribute("aria-describedby");
      if (!described?.includes(messageId)) {
        input.setAttribute("aria-describedby", `${described ?? ""} ${messageId}`.trim());
      }
    }
    const target = input ? `#${input.id}` : "#main-content";
    return h("li", {}, h("a", { href: target, onclick: (event) => focusField(event, input) }, error.message));
  });
  const summary = h(
    "div",
    { class: "govuk-error-summary", "data-module": "govuk-error-summary", tabindex: "-1" },
    h(
      "div",
      { role: "alert" },
      h("h2", { class: "govuk-error-summary__title" }, t("common.problem")),
      h(
        "div",
        { class: "govuk-error-summary__body" },
        h("ul", { class: "govuk-list govuk-error-summary__list" }, ...items),
      ),
    ),
  );
  const main = document.getElementById("main-content");
  main?.prepend(summary);
  summary.focus();
}

function focusField(event: Event, input: HTMLElement | null | undefined): void {
  if (!input) return;
  event.preventDefault();
  input.focus();
}

/** Runs `action` once per submit, shows API errors on the form, re-enables its buttons. */
export function onSubmit(
  form: HTMLFormElement,
  action: () => Promise<void>,
  fieldFor: (code: string) => string | undefined = () => undefined,
): void {
  let busy = false;
  form.noValidate = true;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = form.querySelectorAll("button");
    buttons.forEach((node) => node.setAttribute("aria-disabled", "true"));
    action()
      .catch((error: unknown) => {
        if (error instanceof ApiError) {
          const fieldName = fieldFor(error.code);
          showErrors(form, [{ ...(fieldName ? { field: fieldName } : {}), message: errorText(error) }]);
        } else if (error instanceof FormProblem) {
          showErrors(form, error.errors);
        } else {
          showErrors(form, [{ message: t("error.internal") }]);
          console.error(error);
        }
      })
      .finally(() => {
        busy = false;
        buttons.forEach((node) => node.removeAttribute("aria-disabled"));
      });
  });
}

/** Thrown by a screen's own checks before anything is sent. */
export class FormProblem extends Error {
  constructor(readonly errors: FieldError[]) {
    super("form problem");
  }
}

export function require(checks: [boolean, FieldError][]): void {
  const errors = checks.filter(([ok]) => !ok).map(([, error]) => error);
  if (errors.length) throw new FormProblem(errors);
}
