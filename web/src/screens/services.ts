// All Services: a tile for each service this member may open, grouped as the guide's quick
// navigation. The list comes from GET /me/services, so the tiles follow the permissions.
import { api, ApiError, type Service } from "../api";
import { add, h, heading, link, para, summaryList, tag, warning } from "../dom";
import { errorText, lang, t, type Key } from "../i18n";
import { go, register } from "../router";
import { session } from "../session";
import {
  renderA2cKeys,
  renderCentreFiles,
  renderGradeBoundaries,
  renderResources,
} from "./published";

const EXTERNAL = new Set(["entries", "iamis", "access_arrangements", "view_scripts"]);

const GROUPS: [Key, (service: Service) => boolean][] = [
  ["services.group.centre_admin", (s) => s.path[0] === "Centre Administration"],
  ["services.group.results", (s) => s.path[0] === "Results" && s.path[1] !== "Reports"],
  ["services.group.reports", (s) => s.path[0] === "Results" && s.path[1] === "Reports"],
  ["services.group.resources", (s) => s.path[0] === "Resources"],
  ["services.group.external", (s) => EXTERNAL.has(s.service)],
];

const PATH_PARTS: Record<string, Key> = {
  "Centre Administration": "services.group.centre_admin",
  General: "services.path.general",
  Results: "services.group.results",
  "Candidate Results": "services.path.candidate_results",
  Reports: "services.group.reports",
  Resources: "services.group.resources",
};

const where = (path: string[]): string =>
  path.map((part) => (PATH_PARTS[part] ? t(PATH_PARTS[part] as Key) : part)).join(" › ");

const LEVELS: Record<string, Key> = {
  make: "services.level.make",
  view: "services.level.view",
  embargo: "services.level.embargo",
  results_day: "services.level.results_day",
  submit: "services.level.submit",
  manage: "services.level.manage",
};

function tile(service: Service): HTMLElement {
  const level = service.level ? LEVELS[service.level] : undefined;
  const place = service.path.length > 1 ? where(service.path) : "";
  return h(
    "li",
    { class: "portal-tile", "data-service": service.service },
    h("h3", { class: "govuk-heading-s" }, link(service.name[lang()], `/open?service=${service.service}`)),
    place ? h("p", { class: "govuk-body-s govuk-!-margin-bottom-1" }, place) : null,
    level ? tag(t(level), "grey") : null,
  );
}

/** An external service: who may open it at what level was checked by the API. */
async function renderLaunch(main: HTMLElement, centreId: string, name: string): Promise<void> {
  try {
    const launch = await api.launch(centreId, name);
    const level = LEVELS[launch.level];
    add(
      main,
      summaryList([[t("services.access"), level ? t(level) : launch.level]]),
      // The guide's reminder: scripts are seen only with the candidate's permission.
      name === "view_scripts" ? warning(t("services.scripts_reminder"), t("common.warning")) : null,
      para(t("services.external_intro")),
      h(
        "a",
        { class: "govuk-button", href: launch.launch_url, rel: "noopener" },
        t("services.continue"),
      ),
    );
  } catch (error) {
    add(main, para(error instanceof ApiError ? errorText(error) : t("error.internal")));
  }
}

export function registerServices(): void {
  register("/services", {
    access: "member",
    async render(main) {
      const member = session.member();
      // Board staff hold no centre services: sign-in lands everyone here, so send them on.
      if (member?.account_type === "board_staff") {
        go("/board", true);
        return;
      }
      add(main, 
        heading(t("services.title")),
        member?.centre ? para(t("services.centre", { name: member.centre.name, id: member.centre.centre_id })) : null,
      );
      let services: Service[];
      try {
        services = (await api.services()).services;
      } catch (error) {
        add(main, para(error instanceof ApiError ? errorText(error) : t("error.internal")));
        return;
      }
      const placed = new Set<string>();
      for (const [key, belongs] of GROUPS) {
        const mine = services.filter((service) => !placed.has(service.service) && belongs(service));
        if (!mine.length) continue;
        mine.forEach((service) => placed.add(service.service));
        add(main, h("h2", { class: "govuk-heading-m" }, t(key)), h("ul", { class: "portal-tiles" }, ...mine.map(tile)));
      }
      const rest = services.filter((service) => !placed.has(service.service));
      if (rest.length) {
        add(main, h("h2", { class: "govuk-heading-m" }, t("services.group.other")), h("ul", { class: "portal-tiles" }, ...rest.map(tile)));
      }
    },
  });

  register("/open", {
    access: "member",
    async render(main, query) {
      const name = query.get("service") ?? "";
      const member = session.member();
      const known = (await api.services().catch(() => ({ services: [] as Service[] }))).services;
      const service = known.find((item) => item.service === name);
      add(
        main,
        service && service.path.length > 1
          ? h("span", { class: "govuk-caption-l" }, where(service.path))
          : null,
        heading(service ? service.name[lang()] : t("services.title")),
      );
      if (!service || !member?.centre_id) {
        add(main, para(t("error.forbidden")), para(link(t("nav.services"), "/services")));
        return;
      }
      const centreId = member.centre_id;
      if (EXTERNAL.has(name)) await renderLaunch(main, centreId, name);
      else if (name === "a2c_keys") renderA2cKeys(main, centreId);
      else if (name === "results" || name === "item_level_data") {
        await renderCentreFiles(main, centreId, name);
      }
      else if (name === "grade_boundaries") await renderGradeBoundaries(main);
      else if (name === "resources") await renderResources(main, query);
      else add(main, summaryList([[t("services.where"), where(service.path)]]));
      add(main, para(link(t("services.back"), "/services")));
    },
  });
}
