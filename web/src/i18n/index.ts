// English and Welsh. Every key of the English dictionary must exist in the Welsh one (the
// compiler checks); keys whose Welsh still awaits a translator are listed in awaiting.ts.
import type { ApiError, Language } from "../api";
import { cy } from "./cy";
import { en, type Key } from "./en";

export type { Key };
const dictionaries: Record<Language, Record<Key, string>> = { en, cy };
const CHOICE = "portal.language";

let current: Language = initial();

function initial(): Language {
  const chosen = safeGet(CHOICE);
  if (chosen === "en" || chosen === "cy") return chosen;
  return navigator.language.toLowerCase().startsWith("cy") ? "cy" : "en";
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export const lang = (): Language => current;

/** The language a person picked with the switch: remembered on this device (not a secret). */
export function choose(language: Language): void {
  current = language;
  try {
    localStorage.setItem(CHOICE, language);
  } catch {
    /* private browsing: the choice lasts for this page only */
  }
}

/** The member's preference applies unless they picked a language with the switch. */
export function preferIfUnchosen(language: Language): boolean {
  if (safeGet(CHOICE) || language === current) return false;
  current = language;
  return true;
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const ERROR_KEYS: Record<string, Key> = {
  invalid_credentials: "error.invalid_credentials",
  invite_expired: "error.invite_expired",
  invalid_code: "error.invalid_code",
  password_too_short: "error.password_too_short",
  password_has_outer_spaces: "error.password_has_outer_spaces",
  session_expired: "error.session_expired",
  user_exists: "error.user_exists",
  admin_limit_reached: "error.admin_limit_reached",
  personal_email_not_allowed: "error.personal_email_not_allowed",
  email_domain_not_allowed: "error.email_domain_not_allowed",
  cannot_grant: "error.cannot_grant",
  already_active: "error.already_active",
  cannot_delete_self: "error.cannot_delete_self",
  email_immutable: "error.email_immutable",
  invalid_phone: "error.invalid_phone",
  centre_exists: "error.centre_exists",
  exams_officer_exists: "error.exams_officer_exists",
  too_many_requests: "error.too_many_requests",
  forbidden: "error.forbidden",
  not_found: "error.not_found",
  unauthorized: "error.unauthorized",
  network_error: "error.network",
  internal_error: "error.internal",
  not_implemented: "error.not_implemented",
};

/** Plain words for an API error in the page's language; the server's text for other codes. */
export function errorText(error: ApiError): string {
  const key = ERROR_KEYS[error.code];
  if (key) return t(key, { min_length: 10 });
  return error.message || t("error.internal");
}
