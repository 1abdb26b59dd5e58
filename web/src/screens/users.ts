// Manage Users (exams officers and admins): the centre's members, inviting, access, resending,
// resetting sign-in, deleting with confirmation, and the centre's audit log.
import { api, ApiError, type AuditEvent, type Member, type Permission } from "../api";
import { add, banner, button, choices, field, h, heading, inset, link, para, summaryList, table, tag, values, warning, checked } from "../dom";
import { onSubmit, require } from "../forms";
import { errorText, lang, t, type Key } from "../i18n";
import { go, register } from "../router";
import { session } from "../session";

const PERMISSIONS: Permission[] = ["access_arrangements", "iamis", "view_scripts", "entries_results", "a2c_keys", "resources"];
const TYPE_KEYS = { exams_officer: "type.exams_officer", admin: "type.admin", user: "type.user", board_staff: "type.board_staff" } as const;
const STATUS: Record<Member["status"], [Key, string]> = {
  invited: ["status.invited", "blue"],
  expired: ["status.expired", "red"],
  active: ["status.active", "green"],
};

let flash = "";

const centreId = (): string => session.member()?.centre_id ?? "";
const fullName = (member: Member): string => `${member.first_name} ${member.surname}`;
const permissionName = (permission: string): string => t(`permission.${permission}` as Key);

function date(value: string | null): string {
  if (!value) return "–";
  return new Date(value).toLocaleDateString(lang() === "cy" ? "cy-GB" : "en-GB", { day: "numeric", month: "long", year: "numeric" });
}

function permissionChoices(accountType: "admin" | "user", current: Permission[]): HTMLElement {
  // Users always hold resources and never A2C keys, so neither is offered as a choice for them.
  const offered = PERMISSIONS.filter(
    (permission) => accountType === "admin" || (permission !== "a2c_keys" && permission !== "resources"),
  );
  const group = choices(
    "checkbox",
    "permissions",
    t("invite.manage_access"),
    offered.map((permission) => ({
      value: permission,
      label: permissionName(permission),
      hint: t(`permission.${permission}.hint` as Key),
      checked: current.includes(permission),
    })),
    t("invite.manage_access_hint"),
  );
  if (accountType === "user") group.append(para(t("invite.resources_always")));
  return group;
}

async function loadMembers(): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.members(centreId(), cursor);
    members.push(...page.users);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return members;
}

function failure(main: HTMLElement, error: unknown): void {
  add(main, para(error instanceof ApiError ? errorText(error) : t("error.internal")));
}

export function registerUsers(): void {
  register("/manage-users", {
    access: "manager",
    async render(main) {
      add(main, heading(t("users.title")));
      if (flash) {
        main.prepend(banner(t("common.success"), flash, true));
        flash = "";
      }
      add(main, 
        h("div", { class: "portal-actions govuk-!-margin-bottom-6" },
          h("a", { class: "govuk-button", href: "/manage-users/invite", role: "button", draggable: "false" }, t("users.invite")),
          link(t("users.audit"), "/manage-users/audit")),
      );
      let members: Member[];
      try {
        members = await loadMembers();
      } catch (error) {
        return failure(main, error);
      }
      add(main, 
        table(
          t("users.caption", { count: members.length }),
          [t("users.name"), t("users.type"), t("users.permissions"), t("users.status"), t("users.expires"), t("users.actions")],
          members.map((member) => [
            h("span", {}, h("strong", {}, fullName(member)), h("br"), h("span", { class: "govuk-body-s" }, member.email)),
            t(TYPE_KEYS[member.account_type]),
            h("ul", { class: "govuk-list govuk-body-s" }, ...member.permissions.map((permission) => h("li", {}, permissionName(permission)))),
            tag(t(STATUS[member.status][0]), STATUS[member.status][1]),
            member.status === "active" ? "–" : date(member.invite_expires_at),
            link(t("users.manage"), `/manage-users/member?user=${encodeURIComponent(member.user_id)}`, {
              "aria-label": t("users.manage_named", { name: fullName(member) }),
            }),
          ]),
        ),
        inset(t("users.email_change")),
      );
    },
  });

  register("/manage-users/invite", {
    access: "manager",
    render(main) {
      const page = h("form", { method: "post" },
        h("h2", { class: "govuk-heading-m" }, t("invite.details")),
        field({ name: "first_name", label: t("profile.first_name"), autocomplete: "off" }),
        field({ name: "last_name", label: t("invite.last_name"), autocomplete: "off" }),
        field({ name: "email", label: t("invite.email"), type: "email", hint: t("invite.email_hint"), autocomplete: "off", spellcheck: false }),
        warning(t("invite.school_email"), t("common.warning")),
        choices("radio", "language", t("invite.language"), [
          { value: "en", label: "English", checked: true },
          { value: "cy", label: "Cymraeg" },
        ]),
        h("h2", { class: "govuk-heading-m" }, t("invite.account_type")),
        choices("radio", "account_type", t("invite.account_type"), [
          { value: "user", label: t("type.user"), hint: t("invite.user_hint"), checked: true },
          { value: "admin", label: t("type.admin"), hint: t("invite.admin_hint") },
        ]),
        inset(t("invite.three_admins")),
        h("div", { id: "access" }, permissionChoices("user", ["resources"])),
        para(t("invite.will_receive")),
        button(t("invite.send"))) as HTMLFormElement;
      const access = page.querySelector("#access") as HTMLElement;
      page.querySelectorAll<HTMLInputElement>("input[name=account_type]").forEach((radio) =>
        radio.addEventListener("change", () => {
          const type = radio.value as "admin" | "user";
          access.replaceChildren(permissionChoices(type, type === "admin" ? PERMISSIONS : ["resources"]));
        }),
      );
      onSubmit(page, async () => {
        const data = values(page);
        const email = data.email?.trim() ?? "";
        require([
          [Boolean(data.first_name?.trim()), { field: "first_name", message: t("profile.first_name_missing") }],
          [Boolean(data.last_name?.trim()), { field: "last_name", message: t("profile.surname_missing") }],
          [/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email), { field: "email", message: t("signin.email_missing") }],
        ]);
        const accountType = data.account_type as "admin" | "user";
        const permissions = checked(page, "permissions");
        if (accountType === "user" && !permissions.includes("resources")) permissions.push("resources");
        const member = await api.invite(centreId(), {
          first_name: data.first_name?.trim(),
          last_name: data.last_name?.trim(),
          email,
          language: data.language,
          account_type: accountType,
          permissions,
        });
        flash = t("invite.sent", { name: fullName(member), email: member.email });
        go("/manage-users");
      }, (code) => (["user_exists", "personal_email_not_allowed", "email_domain_not_allowed"].includes(code) ? "email" : code === "admin_limit_reached" ? "account_type" : undefined));
      add(main, 
        h("a", { class: "govuk-back-link", href: "/manage-users" }, t("common.back")),
        heading(t("users.invite")),
        page,
      );
    },
  });

  register("/manage-users/member", {
    access: "manager",
    async render(main, query) {
      const userId = query.get("user") ?? "";
      add(main, h("a", { class: "govuk-back-link", href: "/manage-users" }, t("common.back")));
      let member: Member;
      try {
        member = await api.member(centreId(), userId);
      } catch (error) {
        return failure(main, error);
      }
      const me = session.member();
      add(main, 
        heading(fullName(member)),
        flash ? banner(t("common.success"), flash, true) : null,
        summaryList([
          [t("profile.email"), member.email],
          [t("users.type"), t(TYPE_KEYS[member.account_type])],
          [t("users.status"), tag(t(STATUS[member.status][0]), STATUS[member.status][1])],
          [t("users.expires"), member.status === "active" ? "–" : date(member.invite_expires_at)],
        ]),
      );
      flash = "";
      const editable = member.account_type !== "exams_officer" && member.user_id !== me?.user_id;
      if (editable) {
        const access = h("form", { method: "post", "aria-labelledby": "access-title" },
          h("h2", { class: "govuk-heading-m", id: "access-title" }, t("member.manage_access")),
          permissionChoices(member.account_type as "admin" | "user", member.permissions),
          button(t("member.save_access"))) as HTMLFormElement;
        onSubmit(access, async () => {
          const permissions = checked(access, "permissions");
          if (member.account_type === "user" && !permissions.includes("resources")) permissions.push("resources");
          await api.setPermissions(centreId(), member.user_id, permissions as Permission[]);
          flash = t("member.access_saved", { name: fullName(member) });
          go(`/manage-users/member?user=${encodeURIComponent(member.user_id)}`, true);
        });
        add(main, access);
      } else {
        add(main, h("h2", { class: "govuk-heading-m" }, t("member.manage_access")), para(t("member.access_fixed")));
      }
      const actions = h("div", { class: "portal-actions" });
      if (member.status !== "active") {
        const resend = h("form", { method: "post" }, button(t("member.resend"), { class: "govuk-button--secondary" })) as HTMLFormElement;
        onSubmit(resend, async () => {
          await api.resendInvite(centreId(), member.user_id);
          flash = t("member.resent", { email: member.email });
          go(`/manage-users/member?user=${encodeURIComponent(member.user_id)}`, true);
        });
        actions.append(resend);
      }
      if (member.user_id !== me?.user_id) {
        const reset = h("form", { method: "post" }, button(t("member.reset"), { class: "govuk-button--secondary" })) as HTMLFormElement;
        onSubmit(reset, async () => {
          await api.resetSignIn(centreId(), member.user_id);
          flash = t("member.reset_done", { email: member.email });
          go(`/manage-users/member?user=${encodeURIComponent(member.user_id)}`, true);
        });
        actions.append(reset);
      }
      if (editable) {
        actions.append(h("a", { class: "govuk-button govuk-button--warning", href: `/manage-users/delete?user=${encodeURIComponent(member.user_id)}`, role: "button", draggable: "false" }, t("member.delete")));
      }
      add(main, h("h2", { class: "govuk-heading-m" }, t("member.actions")), para(t("member.reset_hint")), actions);
    },
  });

  register("/manage-users/delete", {
    access: "manager",
    async render(main, query) {
      const userId = query.get("user") ?? "";
      let member: Member;
      try {
        member = await api.member(centreId(), userId);
      } catch (error) {
        return failure(main, error);
      }
      const page = h("form", { method: "post" },
        h("div", { class: "govuk-button-group" },
          button(t("delete.confirm"), { class: "govuk-button--warning" }),
          link(t("common.cancel"), `/manage-users/member?user=${encodeURIComponent(userId)}`))) as HTMLFormElement;
      onSubmit(page, async () => {
        await api.deleteMember(centreId(), userId);
        flash = t("delete.done", { name: fullName(member) });
        go("/manage-users");
      });
      add(main, 
        heading(t("delete.title", { name: fullName(member) })),
        warning(t("delete.warning", { email: member.email }), t("common.warning")),
        page,
      );
    },
  });

  register("/manage-users/audit", {
    access: "manager",
    async render(main) {
      add(main, h("a", { class: "govuk-back-link", href: "/manage-users" }, t("common.back")), heading(t("audit.title")));
      let events: AuditEvent[];
      let members: Member[];
      try {
        [events, members] = await Promise.all([api.audit(centreId()).then((r) => r.events), loadMembers()]);
      } catch (error) {
        return failure(main, error);
      }
      const names = new Map(members.map((member) => [member.user_id, fullName(member)]));
      const who = (id: string | null) => (id ? names.get(id) ?? t("audit.someone") : "–");
      const when = (at: string) => new Date(at).toLocaleString(lang() === "cy" ? "cy-GB" : "en-GB");
      add(main, 
        table(
          t("audit.caption"),
          [t("audit.when"), t("audit.who"), t("audit.action"), t("audit.target")],
          events.map((event) => [when(event.at), who(event.actor), t(`audit.action.${event.action}` as Key) || event.action, who(event.target)]),
        ),
      );
    },
  });
}
