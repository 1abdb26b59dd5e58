// Sign in, first-time password, MFA set-up and MFA codes: one screen walking through the
// challenges the API returns, in the order the user guide describes.
import { api, type AuthStep, type MfaMethod } from "../api";
import { add, button, choices, details, field, h, heading, inset, link, para, values } from "../dom";
import { onSubmit, require } from "../forms";
import { t } from "../i18n";
import { go, register } from "../router";
import { session } from "../session";
import { joinPhone, phoneChecked, phoneFields } from "./phone";

type Step =
  | "email"
  | "password"
  | "new_password"
  | "mfa_setup"
  | "sms_phone"
  | "totp_setup"
  | "code"
  | "select_mfa";

interface Flow {
  step: Step;
  email: string;
  session: string;
  challenge: string;
  destination: string;
  secret: string;
  qrSvg: string;
  options: MfaMethod[];
  notice: string;
}

const fresh = (): Flow => ({
  step: "email",
  email: "",
  session: "",
  challenge: "",
  destination: "",
  secret: "",
  qrSvg: "",
  options: ["totp", "sms", "email"],
  notice: "",
});

let flow: Flow = fresh();
let redraw: () => void = () => undefined;

export const MIN_PASSWORD = 10;

function move(step: Step, changes: Partial<Flow> = {}): void {
  flow = { ...flow, ...changes, step };
  redraw();
}

function follow(reply: AuthStep): void {
  if (reply.status === "signed_in" && reply.tokens) {
    session.keep(reply.tokens);
    session.remember(null);
    flow = fresh();
    go("/services", true);
    return;
  }
  const changes: Partial<Flow> = {
    session: reply.session ?? flow.session,
    challenge: reply.challenge ?? "",
    destination: reply.destination ?? "",
  };
  switch (reply.challenge) {
    case "new_password_required":
      return move("new_password", changes);
    case "mfa_setup":
      return move("mfa_setup", { ...changes, options: reply.mfa_options ?? flow.options });
    case "select_mfa":
      return move("select_mfa", { ...changes, options: reply.mfa_options ?? flow.options });
    case "totp_setup":
      return move("totp_setup", { ...changes, secret: reply.secret ?? "", qrSvg: reply.qr_svg ?? "" });
    default:
      return move("code", changes);
  }
}

/** The live hint under a new password: how many more characters, then that it is enough. */
export function passwordHint(input: HTMLInputElement, hint: HTMLElement): void {
  const update = () => {
    const missing = MIN_PASSWORD - input.value.length;
    hint.textContent = missing > 0 ? t("password.more", { count: missing }) : t("password.enough");
  };
  input.addEventListener("input", update);
  update();
}

function form(...children: (HTMLElement | null)[]): HTMLFormElement {
  return h("form", { method: "post", novalidate: true }, ...children) as HTMLFormElement;
}

const restart = (notice = ""): void => {
  flow = { ...fresh(), email: flow.email, notice };
  redraw();
};

function emailStep(main: HTMLElement): void {
  const page = form(
    field({ name: "email", label: t("signin.email"), type: "email", value: flow.email, autocomplete: "username", spellcheck: false }),
    button(t("common.next")),
  );
  onSubmit(page, async () => {
    const email = values(page).email?.trim() ?? "";
    require([[/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), { field: "email", message: t("signin.email_missing") }]]);
    move("password", { email, notice: "" });
  });
  add(main, 
    heading(t("signin.title")),
    flow.notice ? inset(flow.notice) : null,
    page,
    para(link(t("forgot.link"), "/forgot-password")),
    details(t("signin.need_invite"), para(t("signin.need_invite_text"))),
  );
}

function passwordStep(main: HTMLElement): void {
  const page = form(
    h("p", { class: "govuk-body" }, t("signin.signing_in_as", { email: flow.email }), " ",
      h("a", { class: "govuk-link", href: "/sign-in", onclick: (event) => { event.preventDefault(); restart(); } }, t("signin.change_email"))),
    field({ name: "password", label: t("signin.password"), type: "password", autocomplete: "current-password", hint: t("signin.paste_tip"), spellcheck: false }),
    button(t("common.next")),
  );
  onSubmit(
    page,
    async () => {
      const password = values(page).password ?? "";
      require([[password.length > 0, { field: "password", message: t("signin.password_missing") }]]);
      follow(await api.signIn(flow.email, password));
    },
    (code) => (code === "invalid_credentials" || code === "password_has_outer_spaces" ? "password" : undefined),
  );
  add(main, heading(t("signin.password_title")), page, para(link(t("forgot.link"), "/forgot-password")));
}

function newPasswordStep(main: HTMLElement): void {
  const page = form(
    para(t("newpw.intro")),
    field({ name: "new_password", label: t("newpw.label"), type: "password", autocomplete: "new-password", hint: " ", spellcheck: false }),
    field({ name: "confirm_password", label: t("newpw.confirm"), type: "password", autocomplete: "new-password", spellcheck: false }),
    button(t("common.update")),
  );
  const input = page.querySelector<HTMLInputElement>("#new_password") as HTMLInputElement;
  const hint = page.querySelector<HTMLElement>("#new_password-hint") as HTMLElement;
  hint.setAttribute("aria-live", "polite");
  passwordHint(input, hint);
  onSubmit(
    page,
    async () => {
      const { new_password = "", confirm_password = "" } = values(page);
      require([
        [new_password.length >= MIN_PASSWORD, { field: "new_password", message: t("error.password_too_short") }],
        [new_password === confirm_password, { field: "confirm_password", message: t("newpw.mismatch") }],
      ]);
      follow(await api.newPassword(flow.email, flow.session, new_password));
    },
    (code) => (code.startsWith("password") ? "new_password" : undefined),
  );
  add(main, heading(t("newpw.title")), page);
}

function methodChoices(options: MfaMethod[], legend: string): HTMLElement {
  const labels: Record<MfaMethod, [string, string]> = {
    totp: [t("mfa.totp"), t("mfa.totp_hint")],
    sms: [t("mfa.sms"), t("mfa.sms_hint")],
    email: [t("mfa.email"), t("mfa.email_hint")],
  };
  return choices(
    "radio",
    "method",
    legend,
    options.map((value, index) => ({ value, label: labels[value][0], hint: labels[value][1], checked: index === 0 })),
  );
}

function mfaSetupStep(main: HTMLElement): void {
  const page = form(methodChoices(flow.options, t("mfa.choose")), button(t("common.continue")));
  onSubmit(page, async () => {
    const method = values(page).method as MfaMethod;
    if (method === "sms") return move("sms_phone");
    follow(method === "totp" ? await api.setUpTotp(flow.email, flow.session) : await api.setUpEmail(flow.email, flow.session));
  });
  add(main, heading(t("mfa.setup_title")), para(t("mfa.setup_intro")), page);
}

function smsPhoneStep(main: HTMLElement): void {
  const page = form(phoneFields(), button(t("mfa.send_code")));
  onSubmit(
    page,
    async () => {
      const data = values(page);
      const phone = joinPhone(data.country_code ?? "", data.phone_number ?? "");
      require([[phone !== null, { field: "phone_number", message: t("error.invalid_phone") }]]);
      follow(await phoneChecked(api.setUpSms(flow.email, flow.session, phone as string)));
    },
    (code) => (code === "invalid_phone" ? "phone_number" : undefined),
  );
  add(main, heading(t("mfa.sms_title")), page);
}

function qrImage(svg: string): HTMLElement {
  // Shown as an image, never inserted as markup: the SVG cannot run anything on this page.
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return h("img", { class: "portal-qr", src: `data:image/svg+xml;base64,${btoa(binary)}`, alt: t("totp.qr_alt") });
}

export function totpPanel(secret: string, qrSvg: string): HTMLElement {
  return h(
    "div",
    {},
    h("ol", { class: "govuk-list govuk-list--number" },
      h("li", {}, t("totp.step_download")),
      h("li", {}, t("totp.step_add")),
      h("li", {}, t("totp.step_scan")),
      h("li", {}, t("totp.step_code"))),
    qrSvg ? qrImage(qrSvg) : null,
    h("p", { class: "govuk-body" }, t("totp.manual")),
    h("p", { class: "govuk-body portal-secret", id: "totp-secret" }, secret),
  );
}

function codeField(autocomplete = "one-time-code"): HTMLElement {
  return field({ name: "code", label: t("code.label"), hint: t("code.hint"), width: "5", autocomplete, inputmode: "numeric", spellcheck: false });
}

function totpSetupStep(main: HTMLElement): void {
  const page = form(codeField(), button(t("common.verify")));
  answer(page, "totp_setup");
  add(main, heading(t("totp.title")), totpPanel(flow.secret, flow.qrSvg), page);
}

export function notReceiving(): HTMLElement {
  return details(
    t("help.not_receiving"),
    h("ul", { class: "govuk-list govuk-list--bullet" },
      h("li", {}, t("help.spam")),
      h("li", {}, t("help.firewall", { address: "portal-no-reply@example.org" })),
      h("li", {}, t("help.allow_list"))),
    para(t("help.still"), " ", link("it-helpdesk@example.org", "mailto:it-helpdesk@example.org")),
  );
}

function answer(page: HTMLFormElement, challenge: string): void {
  onSubmit(
    page,
    async () => {
      const code = (values(page).code ?? "").replace(/\s/g, "");
      require([[/^\d{6,8}$/.test(code), { field: "code", message: t("code.missing") }]]);
      follow(await api.answerMfa(flow.email, flow.session, challenge, code));
    },
    (code) => (code === "invalid_code" ? "code" : undefined),
  );
}

function codeStep(main: HTMLElement): void {
  const page = form(codeField(), button(t("common.verify")));
  answer(page, flow.challenge);
  const sent = flow.challenge === "sms" || flow.challenge === "email";
  add(main, 
    heading(flow.challenge === "totp" ? t("code.totp_title") : t("code.sent_title")),
    sent ? para(t(flow.challenge === "sms" ? "code.sent_sms" : "code.sent_email", { destination: flow.destination || flow.email })) : para(t("code.totp_intro")),
    page,
    sent ? notReceiving() : null,
    para(h("a", { class: "govuk-link", href: "/sign-in", onclick: (event) => { event.preventDefault(); restart(); } }, t("signin.start_again"))),
  );
}

function selectStep(main: HTMLElement): void {
  const page = form(methodChoices(flow.options, t("mfa.select")), button(t("common.continue")));
  onSubmit(page, async () => {
    follow(await api.selectMfa(flow.email, flow.session, values(page).method as MfaMethod));
  });
  add(main, heading(t("mfa.select_title")), page);
}

const STEPS: Record<Step, (main: HTMLElement) => void> = {
  email: emailStep,
  password: passwordStep,
  new_password: newPasswordStep,
  mfa_setup: mfaSetupStep,
  sms_phone: smsPhoneStep,
  totp_setup: totpSetupStep,
  code: codeStep,
  select_mfa: selectStep,
};

export function registerSignIn(): void {
  register("/sign-in", {
    access: "public",
    render(main, query) {
      if (query.get("reset") === "done") {
        flow = { ...fresh(), notice: t("forgot.done") };
        history.replaceState(null, "", "/sign-in");
      }
      redraw = () => {
        main.replaceChildren();
        STEPS[flow.step](main);
        main.querySelector<HTMLElement>("input:not([type=hidden]):not([type=radio]), input[type=radio]:checked")?.focus();
        document.title = `${main.querySelector("h1")?.textContent ?? ""} – ${t("portal.name")}`;
      };
      STEPS[flow.step](main);
    },
  });
}
