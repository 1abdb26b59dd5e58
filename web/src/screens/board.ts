// Board staff: centres and their email domains, the exams officer, series and results files,
// and resources. Each task is one small form; answers are shown on the same page.
import { api, ApiError, uploadFile, type A2CKey } from "../api";
import { add, banner, button, choices, field, h, heading, link, para, summaryList, values } from "../dom";
import { FormProblem, onSubmit, require } from "../forms";
import { errorText, t } from "../i18n";
import { register } from "../router";

const domains = (text: string): string[] =>
  text.split(/[\s,]+/).map((item) => item.trim().toLowerCase()).filter(Boolean);

function section(title: string, id: string, ...children: HTMLElement[]): HTMLElement {
  return h("section", { class: "govuk-!-margin-bottom-8", "aria-labelledby": id },
    h("h2", { class: "govuk-heading-m", id }, title), ...children);
}

function result(form: HTMLFormElement, text: string, extra?: HTMLElement): void {
  form.parentElement?.querySelector(".govuk-notification-banner")?.remove();
  const note = banner(t("common.success"), text, true);
  if (extra) note.querySelector(".govuk-notification-banner__content")?.append(extra);
  form.before(note);
  note.focus();
}

function form(...children: HTMLElement[]): HTMLFormElement {
  return h("form", { method: "post" }, ...children) as HTMLFormElement;
}

const uploadLink = (url: string) => para(t("board.upload_url"), " ", h("code", { class: "portal-secret" }, url));

/** A GOV.UK file upload; choosing no file leaves the upload link on the page for curl. */
function fileField(name: string): HTMLElement {
  return h("div", { class: "govuk-form-group", "data-field": name },
    h("label", { class: "govuk-label", for: name }, t("board.file")),
    h("div", { class: "govuk-hint", id: `${name}-hint` }, t("board.file_hint")),
    h("input", { class: "govuk-file-upload", id: name, name, type: "file", "aria-describedby": `${name}-hint` }));
}

function textArea(name: string, label: string, hint: string): HTMLElement {
  return h("div", { class: "govuk-form-group", "data-field": name },
    h("label", { class: "govuk-label", for: name }, label),
    h("div", { class: "govuk-hint", id: `${name}-hint` }, hint),
    h("textarea", { class: "govuk-textarea", id: name, name, rows: "5", spellcheck: "false", autocomplete: "off", "aria-describedby": `${name}-hint` }));
}

/** Lines of "key id, key, label"; null when a line does not have all three. */
export function parseKeys(text: string): A2CKey[] | null {
  const keys: A2CKey[] = [];
  for (const line of text.split("\n").map((each) => each.trim()).filter(Boolean)) {
    const [keyId, key, ...label] = line.split(",").map((each) => each.trim());
    if (!keyId || !key || !label.join(",").trim()) return null;
    keys.push({ key_id: keyId, key, label: label.join(", ") });
  }
  return keys;
}

/** PUTs the chosen file to the presigned URL, or shows the URL when no file was chosen. */
async function sendFile(form: HTMLFormElement, name: string, url: string): Promise<void> {
  const file = form.querySelector<HTMLInputElement>(`#${name}`)?.files?.[0];
  // Without a file, the link is shown for an upload by other means (curl, a script).
  if (!file) {
    result(form, t("board.upload_ready"), uploadLink(url));
    return;
  }
  try {
    await uploadFile(url, file);
  } catch {
    throw new FormProblem([{ field: name, message: t("board.upload_failed") }]);
  }
  result(form, t("board.uploaded", { name: file.name, size: file.size }));
  const input = form.querySelector<HTMLInputElement>(`#${name}`);
  if (input) input.value = "";
}

export function registerBoard(): void {
  register("/board", {
    access: "board",
    render(main) {
      const create = form(
        field({ name: "centre_id", label: t("board.centre_id"), hint: t("board.centre_id_hint"), width: "5", inputmode: "numeric" }),
        field({ name: "name", label: t("board.centre_name") }),
        field({ name: "email_domains", label: t("board.domains"), hint: t("board.domains_hint") }),
        button(t("board.create")));
      onSubmit(create, async () => {
        const data = values(create);
        require([
          [/^\d{5}$/.test(data.centre_id ?? ""), { field: "centre_id", message: t("board.centre_id_hint") }],
          [Boolean(data.name?.trim()), { field: "name", message: t("board.name_missing") }],
        ]);
        const centre = await api.createCentre({ centre_id: data.centre_id, name: data.name?.trim(), email_domains: domains(data.email_domains ?? "") });
        result(create, t("board.created", { id: centre.centre_id }));
      }, (code) => (code === "centre_exists" ? "centre_id" : undefined));

      const find = form(field({ name: "find_centre", label: t("board.centre_id"), width: "5", inputmode: "numeric" }), button(t("board.open"), { class: "govuk-button--secondary" }));
      const found = h("div", { id: "centre-detail" });
      onSubmit(find, async () => {
        const id = values(find).find_centre?.trim() ?? "";
        require([[/^\d{5}$/.test(id), { field: "find_centre", message: t("board.centre_id_hint") }]]);
        found.replaceChildren(await centrePanel(id));
      }, (code) => (code === "not_found" ? "find_centre" : undefined));

      const series = form(
        field({ name: "series_id", label: t("board.series_id"), hint: t("board.series_id_hint"), width: "10" }),
        field({ name: "series_name", label: t("board.series_name") }),
        field({ name: "embargo_from", label: t("board.embargo_from"), hint: t("board.embargo_hint"), width: "20" }),
        field({ name: "results_day", label: t("board.results_day"), hint: t("board.date_hint"), width: "10" }),
        button(t("board.save_series")));
      onSubmit(series, async () => {
        const data = values(series);
        require([[Boolean(data.series_id?.trim()), { field: "series_id", message: t("board.series_id_hint") }]]);
        await api.putSeries(data.series_id?.trim() ?? "", { name: data.series_name, embargo_from: data.embargo_from, results_day: data.results_day });
        result(series, t("board.series_saved"));
      });

      const results = form(
        field({ name: "results_centre", label: t("board.centre_id"), width: "5", inputmode: "numeric" }),
        field({ name: "results_series", label: t("board.series_id"), width: "10" }),
        choices("radio", "results_file", t("board.centre_file"), [
          { value: "results", label: t("board.centre_file.results"), checked: true },
          { value: "item_level_data", label: t("board.centre_file.item_level_data") },
        ]),
        fileField("results_upload"),
        button(t("board.upload")));
      onSubmit(results, async () => {
        const data = values(results);
        require([
          [/^\d{5}$/.test(data.results_centre ?? ""), { field: "results_centre", message: t("board.centre_id_hint") }],
          [Boolean(data.results_series?.trim()), { field: "results_series", message: t("board.series_id_hint") }],
        ]);
        const kind = data.results_file === "item_level_data" ? "item_level_data" : "results";
        const reply = await api.resultsUpload(data.results_centre ?? "", data.results_series?.trim() ?? "", kind);
        await sendFile(results, "results_upload", reply.upload_url);
      }, (code) => (code === "not_found" ? "results_centre" : undefined));

      const keys = form(
        field({ name: "keys_centre", label: t("board.centre_id"), width: "5", inputmode: "numeric" }),
        textArea("keys_lines", t("board.keys"), t("board.keys_hint")),
        button(t("board.save_keys")));
      onSubmit(keys, async () => {
        const data = values(keys);
        const parsed = parseKeys(data.keys_lines ?? "");
        require([
          [/^\d{5}$/.test(data.keys_centre ?? ""), { field: "keys_centre", message: t("board.centre_id_hint") }],
          [parsed !== null && parsed.length > 0, { field: "keys_lines", message: t("board.keys_hint") }],
        ]);
        const reply = await api.putA2cKeys(data.keys_centre ?? "", parsed ?? []);
        result(keys, t("board.keys_saved", { count: reply.count, id: reply.centre_id }));
      }, (code) => (code === "not_found" ? "keys_centre" : undefined));

      const resource = form(
        field({ name: "subject", label: t("board.subject") }),
        choices("radio", "kind", t("board.kind"), [
          { value: "past_paper", label: t("board.kind.past_paper"), checked: true },
          { value: "marking_scheme", label: t("board.kind.marking_scheme") },
          { value: "exemplar", label: t("board.kind.exemplar") },
          { value: "grade_boundaries", label: t("board.kind.grade_boundaries") },
        ]),
        field({ name: "title", label: t("board.resource_title") }),
        field({ name: "resource_series", label: t("board.series_id"), width: "10" }),
        choices("radio", "resource_language", t("invite.language"), [
          { value: "en", label: "English", checked: true },
          { value: "cy", label: "Cymraeg" },
        ]),
        fileField("resource_upload"),
        button(t("board.add_resource")));
      onSubmit(resource, async () => {
        const data = values(resource);
        const reply = await api.createResource({ subject: data.subject, kind: data.kind, title: data.title, series_id: data.resource_series, language: data.resource_language });
        await sendFile(resource, "resource_upload", reply.upload_url);
      }, (code) => (code === "not_found" ? "resource_series" : undefined));

      add(main, 
        heading(t("board.title")),
        section(t("board.find"), "find-title", find, found),
        section(t("board.create_title"), "create-title", create),
        section(t("board.series_title"), "series-title", series),
        section(t("board.results_title"), "results-title", results),
        section(t("board.keys_title"), "keys-title", keys),
        section(t("board.resources_title"), "resources-title", resource),
      );
    },
  });
}

async function centrePanel(centreId: string): Promise<HTMLElement> {
  const centre = await api.centre(centreId);
  const counts = centre.member_counts ?? {};
  const edit = form(field({ name: "edit_domains", label: t("board.domains"), hint: t("board.domains_hint"), value: centre.email_domains.join(", ") }), button(t("board.save_domains"), { class: "govuk-button--secondary" }));
  onSubmit(edit, async () => {
    await api.updateCentre(centreId, { email_domains: domains(values(edit).edit_domains ?? "") });
    result(edit, t("board.domains_saved"));
  });
  const officer = form(
    field({ name: "eo_first_name", label: t("profile.first_name") }),
    field({ name: "eo_last_name", label: t("invite.last_name") }),
    field({ name: "eo_email", label: t("invite.email"), type: "email" }),
    choices("radio", "eo_language", t("invite.language"), [
      { value: "en", label: "English", checked: true },
      { value: "cy", label: "Cymraeg" },
    ]),
    button(t("board.invite_eo")));
  onSubmit(officer, async () => {
    const data = values(officer);
    await api.inviteExamsOfficer(centreId, { first_name: data.eo_first_name, last_name: data.eo_last_name, email: data.eo_email, language: data.eo_language });
    result(officer, t("board.eo_invited"));
  }, (code) => (code === "exams_officer_exists" ? "eo_email" : undefined));
  const remove = form(button(t("board.remove_eo"), { class: "govuk-button--warning" }));
  onSubmit(remove, async () => {
    if (!window.confirm(t("board.remove_eo_confirm"))) return;
    await api.deleteExamsOfficer(centreId);
    result(remove, t("board.eo_removed"));
  });
  return h("div", {},
    h("h3", { class: "govuk-heading-m" }, `${centre.name} (${centre.centre_id})`),
    summaryList([
      [t("board.domains"), centre.email_domains.join(", ") || "–"],
      [t("type.exams_officer"), String(counts.exams_officer ?? 0)],
      [t("type.admin"), String(counts.admin ?? 0)],
      [t("type.user"), String(counts.user ?? 0)],
    ]),
    edit,
    h("h3", { class: "govuk-heading-s" }, t("board.eo_title")),
    para(t("board.eo_intro")),
    officer,
    remove,
    para(link(t("board.back"), "/board")),
  );
}

export function boardError(error: unknown): string {
  return error instanceof ApiError ? errorText(error) : t("error.internal");
}
