import "./styles.scss";
import { api, configure, setApiLanguage, type Language } from "./api";
import { h, link } from "./dom";
import { choose, lang, preferIfUnchosen, t } from "./i18n";
import { go, home, isManager, listen, screenFor } from "./router";
import { registerBoard } from "./screens/board";
import { registerForgot } from "./screens/forgot";
import { registerProfile } from "./screens/profile";
import { registerServices } from "./screens/services";
import { registerSignIn } from "./screens/signin";
import { registerUsers } from "./screens/users";
import { session } from "./session";

const app = document.getElementById("app") as HTMLElement;

async function signOut(): Promise<void> {
  try {
    if (session.tokens()) await api.signOut();
  } catch {
    /* the tokens are forgotten whatever the API answered */
  }
  session.clear();
  go("/sign-in");
}

function languageSwitch(): HTMLElement {
  const item = (code: Language, label: string) =>
    code === lang()
      ? h("li", { class: "govuk-language-navigation__list-item" },
          h("span", { class: "govuk-language-navigation__text", "aria-current": "true", lang: code }, label))
      : h("li", { class: "govuk-language-navigation__list-item" },
          h("a", {
            class: "govuk-language-navigation__link",
            href: location.pathname + location.search,
            lang: code,
            hreflang: code,
            rel: "alternate",
            "data-language": code,
            onclick: (event) => {
              event.preventDefault();
              choose(code);
              render();
            },
          }, label));
  return h(
    "nav",
    { class: "govuk-language-navigation", "aria-label": t("layout.language") },
    h("ul", { class: "govuk-language-navigation__list" }, item("en", "English"), item("cy", "Cymraeg")),
  );
}

function accountMenu(): HTMLElement | null {
  const member = session.member();
  if (!member) return null;
  const initials = `${member.first_name[0] ?? ""}${member.surname[0] ?? ""}`.toUpperCase();
  const menuId = "account-menu";
  const menu = h(
    "ul",
    { class: "govuk-list portal-menu", id: menuId, hidden: true },
    member.account_type !== "board_staff" ? h("li", {}, link(t("nav.services"), "/services")) : null,
    h("li", {}, link(`⚙ ${t("nav.profile")}`, "/profile")),
    isManager(member) ? h("li", {}, link(t("nav.manage_users"), "/manage-users")) : null,
    member.account_type === "board_staff" ? h("li", {}, link(t("nav.board"), "/board")) : null,
    h("li", {}, h("a", {
      class: "govuk-link",
      href: "/sign-in",
      "data-action": "sign-out",
      onclick: (event) => {
        event.preventDefault();
        void signOut();
      },
    }, t("nav.sign_out"))),
  );
  const toggle = h(
    "button",
    {
      type: "button",
      class: "portal-profile",
      "aria-expanded": "false",
      "aria-controls": menuId,
      onclick: () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        menu.hidden = !open;
      },
    },
    h("span", { class: "portal-profile__icon", "aria-hidden": "true" }, initials),
    h("span", { class: "govuk-visually-hidden" }, t("nav.account_menu", { name: `${member.first_name} ${member.surname}` })),
  );
  return h("div", { class: "portal-account" }, toggle, menu);
}

function layout(): HTMLElement {
  const member = session.member();
  const header = h(
    "header",
    { class: "govuk-generic-header portal-header", "data-module": "govuk-header" },
    h(
      "div",
      { class: "govuk-generic-header__container govuk-width-container portal-header__bar" },
      h("div", { class: "govuk-generic-header__logo" },
        h("a", { href: home(member), class: "govuk-generic-header__homepage-link portal-header__name" }, t("portal.name"))),
      h("div", { class: "portal-header__account" }, languageSwitch(), accountMenu()),
    ),
  );
  const services =
    member && member.account_type !== "board_staff"
      ? h("nav", { class: "govuk-width-container portal-subnav", "aria-label": t("nav.main") },
          h("ul", { class: "govuk-list portal-subnav__list" },
            h("li", {}, link(t("nav.services"), "/services")),
            isManager(member) ? h("li", {}, link(t("nav.manage_users"), "/manage-users")) : null,
            h("li", {}, link(t("nav.profile"), "/profile"))))
      : null;
  const main = h("main", { class: "govuk-main-wrapper", id: "main-content", tabindex: "-1" });
  const footer = h(
    "footer",
    { class: "govuk-footer" },
    h("div", { class: "govuk-width-container" },
      h("h2", { class: "govuk-heading-s" }, t("footer.help")),
      h("p", { class: "govuk-body-s" }, t("footer.portal_team"), " ",
        link("portal-team@example.org", "mailto:portal-team@example.org", { class: "govuk-footer__link" })),
      h("p", { class: "govuk-body-s" }, t("footer.it_helpdesk"), " ",
        link("it-helpdesk@example.org", "mailto:it-helpdesk@example.org", { class: "govuk-footer__link" }))),
  );
  app.replaceChildren(header, h("div", { class: "govuk-width-container" }, services, main), footer);
  return main;
}

let rendering = 0;

async function render(): Promise<void> {
  const turn = ++rendering;
  document.documentElement.lang = lang();
  setApiLanguage(lang());
  const skip = document.getElementById("skip-link");
  if (skip) skip.textContent = t("layout.skip");

  if (session.tokens() && !session.member()) {
    try {
      const member = await api.me();
      session.remember(member);
      if (preferIfUnchosen(member.language)) return render();
    } catch {
      session.clear();
    }
  }
  const member = session.member();
  let path = location.pathname;
  let screen = screenFor(path);
  const allowed =
    screen &&
    (screen.access === "public" ||
      (screen.access === "member" && member) ||
      (screen.access === "manager" && isManager(member)) ||
      (screen.access === "board" && member?.account_type === "board_staff"));
  if (!screen || !allowed || (member && screen.access === "public")) {
    path = home(member);
    history.replaceState(null, "", path);
    screen = screenFor(path);
  }
  if (!screen || turn !== rendering) return;
  const main = layout();
  await screen.render(main, new URLSearchParams(location.search));
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent ?? ""} – ${t("portal.name")}` : t("portal.name");
}

export function rerender(): void {
  void render();
}

registerSignIn();
registerForgot();
registerServices();
registerProfile();
registerUsers();
registerBoard();
listen(rerender);
void configure().then(render);
