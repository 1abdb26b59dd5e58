// Forgot your password: email, then the emailed code with a new password, then sign in again.
import { api } from "../api";
import { add, button, field, h, heading, link, para, values } from "../dom";
import { onSubmit, require } from "../forms";
import { t } from "../i18n";
import { go, register } from "../router";
import { MIN_PASSWORD, notReceiving, passwordHint } from "./signin";

let sentTo = "";

function requestStep(main: HTMLElement, redraw: () => void): void {
  const page = h("form", { method: "post" },
    field({ name: "email", label: t("signin.email"), type: "email", autocomplete: "username", value: sentTo, spellcheck: false }),
    button(t("forgot.send"))) as HTMLFormElement;
  onSubmit(page, async () => {
    const email = values(page).email?.trim() ?? "";
    require([[/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), { field: "email", message: t("signin.email_missing") }]]);
    await api.forgotPassword(email);
    sentTo = email;
    redraw();
  });
  add(main, heading(t("forgot.title")), para(t("forgot.intro")), page, para(link(t("forgot.back"), "/sign-in")));
}

function resetStep(main: HTMLElement, redraw: () => void): void {
  const page = h("form", { method: "post" },
    field({ name: "email", label: t("signin.email"), type: "email", autocomplete: "username", value: sentTo, spellcheck: false }),
    field({ name: "code", label: t("forgot.code"), hint: t("forgot.code_hint"), width: "10", autocomplete: "one-time-code", inputmode: "numeric", spellcheck: false }),
    field({ name: "new_password", label: t("newpw.label"), type: "password", autocomplete: "new-password", hint: " ", spellcheck: false }),
    field({ name: "confirm_password", label: t("newpw.confirm"), type: "password", autocomplete: "new-password", spellcheck: false }),
    button(t("common.update"))) as HTMLFormElement;
  const hint = page.querySelector<HTMLElement>("#new_password-hint") as HTMLElement;
  hint.setAttribute("aria-live", "polite");
  passwordHint(page.querySelector<HTMLInputElement>("#new_password") as HTMLInputElement, hint);
  onSubmit(
    page,
    async () => {
      const data = values(page);
      const email = data.email?.trim() ?? "";
      const code = (data.code ?? "").replace(/\s/g, "");
      const password = data.new_password ?? "";
      require([
        [email.includes("@"), { field: "email", message: t("signin.email_missing") }],
        [code.length > 0, { field: "code", message: t("code.missing") }],
        [password.length >= MIN_PASSWORD, { field: "new_password", message: t("error.password_too_short") }],
        [password === data.confirm_password, { field: "confirm_password", message: t("newpw.mismatch") }],
      ]);
      await api.resetPassword(email, code, password);
      sentTo = "";
      go("/sign-in?reset=done");
    },
    (code) => (code === "invalid_code" ? "code" : code.startsWith("password") ? "new_password" : undefined),
  );
  add(main, 
    heading(t("forgot.reset_title")),
    para(t("forgot.sent", { email: sentTo })),
    page,
    notReceiving(),
    para(h("a", { class: "govuk-link", href: "/forgot-password", onclick: (event) => { event.preventDefault(); sentTo = ""; redraw(); } }, t("forgot.send_again"))),
  );
}

export function registerForgot(): void {
  register("/forgot-password", {
    access: "public",
    render(main) {
      const redraw = () => {
        main.replaceChildren();
        (sentTo ? resetStep : requestStep)(main, redraw);
        (main.querySelector<HTMLElement>("#code") ?? main.querySelector<HTMLElement>("input"))?.focus();
      };
      (sentTo ? resetStep : requestStep)(main, redraw);
    },
  });
}
