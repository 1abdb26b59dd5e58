// Profile (profile icon → cog): personal details, language, phone, password and MFA method.
import { api, type Language, type Member, type MfaMethod } from "../api";
import { add, banner, button, choices, field, h, heading, inset, link, para, summaryList, values } from "../dom";
import { onSubmit, require } from "../forms";
import { choose, t } from "../i18n";
import { register } from "../router";
import { session } from "../session";
import { joinPhone, phoneChecked, phoneFields } from "./phone";
import { MIN_PASSWORD, passwordHint, totpPanel } from "./signin";

type Mode = "view" | "edit" | "password" | "mfa" | "mfa_totp" | "mfa_sms_code";

const METHOD_KEYS = { totp: "mfa.totp", sms: "mfa.sms", email: "mfa.email" } as const;

let mode: Mode = "view";
let notice = "";
let totp = { secret: "", qr_svg: "" };
// The number the SMS code went to, named on the code screen as the sign-in screen does.
let smsPhone = "";

export function registerProfile(): void {
  register("/profile", {
    access: "member",
    async render(main) {
      mode = "view";
      notice = "";
      const member = await api.me();
      session.remember(member);
      const redraw = async () => {
        main.replaceChildren();
        await draw(main, session.member() as Member, redraw);
        (main.querySelector<HTMLElement>(".govuk-notification-banner, form input") ?? main)?.focus();
      };
      await draw(main, member, redraw);
    },
  });
}

function to(next: Mode, redraw: () => Promise<void>, message = ""): void {
  mode = next;
  notice = message;
  void redraw();
}

function actionLink(text: string, next: Mode, redraw: () => Promise<void>): HTMLElement {
  return h("a", { class: "govuk-link", href: "/profile", "data-action": next, onclick: (event) => { event.preventDefault(); to(next, redraw); } }, text);
}

async function draw(main: HTMLElement, member: Member, redraw: () => Promise<void>): Promise<void> {
  if (notice) add(main, banner(t("common.success"), notice, true));
  const cancel = () => para(actionLink(t("common.cancel"), "view", redraw));
  if (mode === "edit") {
    const page = h("form", { method: "post" },
      field({ name: "title", label: t("profile.title_field"), value: member.title ?? "", width: "5", autocomplete: "honorific-prefix" }),
      field({ name: "first_name", label: t("profile.first_name"), value: member.first_name, autocomplete: "given-name" }),
      field({ name: "middle_name", label: t("profile.middle_name"), value: member.middle_name ?? "", autocomplete: "additional-name" }),
      field({ name: "surname", label: t("profile.surname"), value: member.surname, autocomplete: "family-name" }),
      field({ name: "job_role", label: t("profile.job_role"), value: member.job_role ?? "", autocomplete: "organization-title" }),
      choices("radio", "language", t("profile.language"), [
        { value: "en", label: "English", checked: member.language === "en" },
        { value: "cy", label: "Cymraeg", checked: member.language === "cy" },
      ]),
      phoneFields(member.phone),
      button(t("profile.confirm"))) as HTMLFormElement;
    onSubmit(page, async () => {
      const data = values(page);
      const phone = data.phone_number?.trim() ? joinPhone(data.country_code ?? "", data.phone_number) : null;
      require([
        [Boolean(data.first_name?.trim()), { field: "first_name", message: t("profile.first_name_missing") }],
        [Boolean(data.surname?.trim()), { field: "surname", message: t("profile.surname_missing") }],
        [!data.phone_number?.trim() || phone !== null, { field: "phone_number", message: t("error.invalid_phone") }],
      ]);
      const changes: Record<string, unknown> = {
        title: data.title?.trim() || null,
        first_name: data.first_name?.trim(),
        middle_name: data.middle_name?.trim() || null,
        surname: data.surname?.trim(),
        job_role: data.job_role?.trim() || null,
        language: data.language,
      };
      if (phone) changes.phone = phone;
      const updated = await api.updateMe(changes);
      session.remember(updated);
      if (updated.language !== member.language) choose(updated.language as Language);
      to("view", redraw, t("profile.saved"));
    }, (code) => (code === "invalid_phone" ? "phone_number" : undefined));
    add(main, heading(t("profile.edit_title")), page, cancel());
    return;
  }
  if (mode === "password") {
    const page = h("form", { method: "post" },
      field({ name: "current_password", label: t("profile.current_password"), type: "password", autocomplete: "current-password" }),
      field({ name: "new_password", label: t("newpw.label"), type: "password", autocomplete: "new-password", hint: " " }),
      field({ name: "confirm_password", label: t("newpw.confirm"), type: "password", autocomplete: "new-password" }),
      button(t("profile.change_password"))) as HTMLFormElement;
    const hint = page.querySelector<HTMLElement>("#new_password-hint") as HTMLElement;
    hint.setAttribute("aria-live", "polite");
    passwordHint(page.querySelector<HTMLInputElement>("#new_password") as HTMLInputElement, hint);
    onSubmit(page, async () => {
      const data = values(page);
      require([
        [Boolean(data.current_password), { field: "current_password", message: t("signin.password_missing") }],
        [(data.new_password ?? "").length >= MIN_PASSWORD, { field: "new_password", message: t("error.password_too_short") }],
        [data.new_password === data.confirm_password, { field: "confirm_password", message: t("newpw.mismatch") }],
      ]);
      await api.changePassword(data.current_password ?? "", data.new_password ?? "");
      to("view", redraw, t("profile.password_changed"));
    }, (code) => (code === "invalid_credentials" ? "current_password" : code.startsWith("password") ? "new_password" : undefined));
    add(main, heading(t("profile.change_password")), page, cancel());
    return;
  }
  if (mode === "mfa") {
    const page = h("form", { method: "post" },
      choices("radio", "method", t("mfa.choose"), (["totp", "sms", "email"] as MfaMethod[]).map((value) => ({
        value,
        label: t(METHOD_KEYS[value]),
        hint: t(`mfa.${value}_hint`),
        checked: member.mfa.preferred === value,
      }))),
      h("div", { id: "sms-phone" }, phoneFields(member.phone)),
      button(t("common.continue"))) as HTMLFormElement;
    onSubmit(page, async () => {
      const data = values(page);
      const method = data.method as MfaMethod;
      if (method === "totp") {
        const setup = await api.newTotp();
        totp = { secret: setup.secret, qr_svg: setup.qr_svg };
        return to("mfa_totp", redraw);
      }
      if (method === "sms") {
        const phone = joinPhone(data.country_code ?? "", data.phone_number ?? "");
        require([[phone !== null, { field: "phone_number", message: t("error.invalid_phone") }]]);
        await phoneChecked(api.newSms(phone as string));
        smsPhone = phone as string;
        return to("mfa_sms_code", redraw);
      }
      await api.preferMfa("email");
      session.remember(await api.me());
      to("view", redraw, t("profile.mfa_changed"));
    }, (code) => (code === "invalid_phone" ? "phone_number" : undefined));
    add(main, heading(t("profile.change_mfa")), inset(t("profile.mfa_help")), page, cancel());
    return;
  }
  if (mode === "mfa_totp" || mode === "mfa_sms_code") {
    const page = h("form", { method: "post" },
      field({ name: "code", label: t("code.label"), hint: t("code.hint"), width: "5", autocomplete: "one-time-code", inputmode: "numeric" }),
      button(t("common.verify"))) as HTMLFormElement;
    onSubmit(page, async () => {
      const code = (values(page).code ?? "").replace(/\s/g, "");
      require([[/^\d{6,8}$/.test(code), { field: "code", message: t("code.missing") }]]);
      await (mode === "mfa_totp" ? api.verifyTotp(code) : api.verifySms(code));
      session.remember(await api.me());
      to("view", redraw, t("profile.mfa_changed"));
    }, (code) => (code === "invalid_code" ? "code" : undefined));
    add(main, 
      heading(mode === "mfa_totp" ? t("totp.title") : t("code.sent_title")),
      mode === "mfa_totp" ? totpPanel(totp.secret, totp.qr_svg) : para(t("code.sent_sms", { destination: smsPhone })),
      page,
      cancel(),
    );
    return;
  }
  const name = [member.title, member.first_name, member.middle_name, member.surname].filter(Boolean).join(" ");
  add(main, 
    heading(t("profile.heading")),
    h("p", { class: "govuk-body-l" }, name, member.job_role ? ` – ${member.job_role}` : ""),
    h("h2", { class: "govuk-heading-m" }, t("profile.personal")),
    summaryList([
      [t("profile.title_field"), member.title ?? "–"],
      [t("profile.first_name"), member.first_name],
      [t("profile.middle_name"), member.middle_name ?? "–"],
      [t("profile.surname"), member.surname],
      [t("profile.job_role"), member.job_role ?? "–"],
    ]),
    h("h2", { class: "govuk-heading-m" }, t("profile.preferences")),
    summaryList([[t("profile.language"), member.language === "cy" ? "Cymraeg" : "English"]]),
    h("h2", { class: "govuk-heading-m" }, t("profile.security")),
    summaryList([
      [t("profile.email"), member.email],
      [t("profile.phone"), member.phone ?? "–"],
      [t("profile.mfa_method"), member.mfa.preferred ? t(METHOD_KEYS[member.mfa.preferred]) : "–"],
    ]),
    inset(h("strong", {}, t("profile.email_change_title")), " ", t("profile.email_change_text")),
    h("div", { class: "portal-actions govuk-!-margin-bottom-6" },
      h("button", { type: "button", class: "govuk-button", "data-module": "govuk-button", "data-action": "edit", onclick: () => to("edit", redraw) }, t("profile.edit")),
      h("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button", "data-action": "password", onclick: () => to("password", redraw) }, t("profile.change_password")),
      h("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button", "data-action": "mfa", onclick: () => to("mfa", redraw) }, t("profile.change_mfa"))),
    para(t("profile.phone_change_tip"), " ", link(t("profile.transfer_link"), "https://support.google.com/accounts/answer/1066447", { rel: "noopener" })),
  );
}
