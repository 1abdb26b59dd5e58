// The portal's HTTP API, as the contract describes it. Nothing secret lives here: the API's
// address comes from config.json at run time, and tokens from the session store.
import { session } from "./session";

export type Language = "en" | "cy";
export type AccountType = "exams_officer" | "admin" | "user" | "board_staff";
export type MfaMethod = "totp" | "sms" | "email";
export type Permission =
  | "access_arrangements"
  | "iamis"
  | "view_scripts"
  | "entries_results"
  | "a2c_keys"
  | "resources";

export interface Member {
  user_id: string;
  centre_id: string | null;
  email: string;
  title: string | null;
  first_name: string;
  middle_name: string | null;
  surname: string;
  job_role: string | null;
  language: Language;
  phone: string | null;
  account_type: AccountType;
  permissions: Permission[];
  status: "invited" | "expired" | "active";
  invite_expires_at: string | null;
  mfa: { preferred: MfaMethod | null; enabled: MfaMethod[] };
  centre?: { centre_id: string; name: string } | null;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface AuthStep {
  status: "signed_in" | "challenge";
  tokens?: Tokens;
  challenge?: string;
  session?: string;
  mfa_options?: MfaMethod[];
  destination?: string;
  secret?: string;
  otpauth_uri?: string;
  qr_svg?: string;
}

export interface Service {
  service: string;
  name: { en: string; cy: string };
  path: string[];
  level: string | null;
  available_from: unknown;
}

export interface AuditEvent {
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

export interface Centre {
  centre_id: string;
  name: string;
  email_domains: string[];
  member_counts?: Record<string, number>;
}

export interface CentreSeries {
  series_id: string;
  name: string;
  embargo_from: string;
  results_day: string;
  /** When this caller may download the series' files (UTC). */
  available_from: string;
  has_file: boolean;
  has_item_level_data: boolean;
}

export type ResourceKind = "past_paper" | "marking_scheme" | "exemplar" | "grade_boundaries";

export interface Resource {
  resource_id: string;
  subject: string;
  kind: ResourceKind;
  title: string;
  series_id: string;
  language: Language;
  published_at: string;
  download_url?: string;
}

export interface A2CKey {
  key_id: string;
  key: string;
  label: string;
}

/** A centre's file for a series: its results file or its item level data. */
export type CentreFile = "results" | "item_level_data";

export interface Download {
  download_url: string;
  expires_in: number;
}

interface ErrorBody {
  code?: string;
  message?: string;
  available_from?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For 403 `embargoed`: the first instant (UTC, ISO 8601) the caller may download. */
    readonly availableFrom: string | null = null,
  ) {
    super(message);
  }
}

let baseUrl = "";
let language: Language = "en";

/** The API's address: config.json beside the site in the cloud; the same origin locally. */
export async function configure(): Promise<void> {
  try {
    const reply = await fetch("/config.json", { headers: { Accept: "application/json" } });
    if (reply.ok && (reply.headers.get("Content-Type") ?? "").includes("json")) {
      const config = (await reply.json()) as { api_base_url?: string };
      baseUrl = (config.api_base_url ?? "").replace(/\/$/, "");
    }
  } catch {
    baseUrl = "";
  }
}

export function setApiLanguage(value: Language): void {
  language = value;
}

type Body = Record<string, unknown> | undefined;

async function send<T>(method: string, path: string, body?: Body, retry = true): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": language,
  };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const tokens = session.tokens();
  if (tokens) headers.Authorization = `Bearer ${tokens.access_token}`;
  if (method !== "GET" && method !== "HEAD") headers["Idempotency-Key"] = crypto.randomUUID();
  let reply: Response;
  try {
    reply = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, "network_error", "");
  }
  if (reply.status === 401 && tokens && retry && (await refresh())) {
    return send<T>(method, path, body, false);
  }
  const text = await reply.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!reply.ok) {
    const error = (data as { error?: ErrorBody } | null)?.error;
    throw new ApiError(
      reply.status,
      error?.code ?? "internal_error",
      error?.message ?? "",
      error?.available_from ?? null,
    );
  }
  return data as T;
}

async function refresh(): Promise<boolean> {
  const tokens = session.tokens();
  if (!tokens) return false;
  try {
    const reply = await fetch(baseUrl + "/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refresh_token: tokens.refresh_token }),
    });
    if (!reply.ok) return false;
    const step = (await reply.json()) as AuthStep;
    if (!step.tokens) return false;
    session.keep({ ...step.tokens, refresh_token: step.tokens.refresh_token || tokens.refresh_token });
    return true;
  } catch {
    return false;
  }
}

const centre = (id: string) => `/centres/${encodeURIComponent(id)}`;
const user = (centreId: string, userId: string) =>
  `${centre(centreId)}/users/${encodeURIComponent(userId)}`;

export const api = {
  signIn: (email: string, password: string) =>
    send<AuthStep>("POST", "/auth/sign-in", { email, password }),
  newPassword: (email: string, sessionId: string, newPassword: string) =>
    send<AuthStep>("POST", "/auth/new-password", {
      email,
      session: sessionId,
      new_password: newPassword,
    }),
  setUpTotp: (email: string, sessionId: string) =>
    send<AuthStep>("POST", "/auth/mfa-setup/totp", { email, session: sessionId }),
  setUpSms: (email: string, sessionId: string, phone: string) =>
    send<AuthStep>("POST", "/auth/mfa-setup/sms", { email, session: sessionId, phone }),
  setUpEmail: (email: string, sessionId: string) =>
    send<AuthStep>("POST", "/auth/mfa-setup/email", { email, session: sessionId }),
  answerMfa: (email: string, sessionId: string, challenge: string, code: string) =>
    send<AuthStep>("POST", "/auth/mfa", { email, session: sessionId, challenge, code }),
  selectMfa: (email: string, sessionId: string, method: MfaMethod) =>
    send<AuthStep>("POST", "/auth/select-mfa", { email, session: sessionId, method }),
  forgotPassword: (email: string) => send<unknown>("POST", "/auth/forgot-password", { email }),
  resetPassword: (email: string, code: string, newPassword: string) =>
    send<unknown>("POST", "/auth/reset-password", { email, code, new_password: newPassword }),
  signOut: () => send<unknown>("POST", "/auth/sign-out", undefined, false),

  me: () => send<Member>("GET", "/me"),
  updateMe: (changes: Record<string, unknown>) => send<Member>("PATCH", "/me", changes),
  changePassword: (current: string, next: string) =>
    send<unknown>("POST", "/me/password", { current_password: current, new_password: next }),
  myMfa: () =>
    send<{ preferred: MfaMethod | null; enabled: MfaMethod[]; options: MfaMethod[] }>(
      "GET",
      "/me/mfa",
    ),
  newTotp: () => send<{ secret: string; otpauth_uri: string; qr_svg: string }>("POST", "/me/mfa/totp"),
  verifyTotp: (code: string) => send<unknown>("POST", "/me/mfa/totp/verify", { code }),
  newSms: (phone: string) => send<unknown>("POST", "/me/mfa/sms", { phone }),
  verifySms: (code: string) => send<unknown>("POST", "/me/mfa/sms/verify", { code }),
  preferMfa: (method: MfaMethod) => send<unknown>("PUT", "/me/mfa", { method }),
  services: () => send<{ services: Service[] }>("GET", "/me/services"),
  launch: (centreId: string, service: string) =>
    send<{ service: string; level: string; launch_url: string }>(
      "GET",
      `${centre(centreId)}/services/${encodeURIComponent(service)}`,
    ),

  members: (centreId: string, cursor?: string) =>
    send<{ users: Member[]; next_cursor: string | null }>(
      "GET",
      `${centre(centreId)}/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  member: (centreId: string, userId: string) => send<Member>("GET", user(centreId, userId)),
  invite: (centreId: string, body: Record<string, unknown>) =>
    send<Member>("POST", `${centre(centreId)}/users`, body),
  setPermissions: (centreId: string, userId: string, permissions: Permission[]) =>
    send<Member>("PUT", `${user(centreId, userId)}/permissions`, { permissions }),
  resendInvite: (centreId: string, userId: string) =>
    send<Member>("POST", `${user(centreId, userId)}/invite`),
  resetSignIn: (centreId: string, userId: string) =>
    send<unknown>("POST", `${user(centreId, userId)}/reset-sign-in`),
  deleteMember: (centreId: string, userId: string) =>
    send<unknown>("DELETE", user(centreId, userId)),
  audit: (centreId: string) =>
    send<{ events: AuditEvent[]; next_cursor: string | null }>(
      "GET",
      `${centre(centreId)}/audit?limit=100`,
    ),

  centre: (centreId: string) => send<Centre>("GET", centre(centreId)),
  createCentre: (body: Record<string, unknown>) => send<Centre>("POST", "/centres", body),
  updateCentre: (centreId: string, body: Record<string, unknown>) =>
    send<Centre>("PATCH", centre(centreId), body),
  inviteExamsOfficer: (centreId: string, body: Record<string, unknown>) =>
    send<Member>("PUT", `${centre(centreId)}/exams-officer`, body),
  deleteExamsOfficer: (centreId: string) =>
    send<unknown>("DELETE", `${centre(centreId)}/exams-officer`),
  putSeries: (seriesId: string, body: Record<string, unknown>) =>
    send<unknown>("PUT", `/series/${encodeURIComponent(seriesId)}`, body),
  resultsUpload: (centreId: string, seriesId: string, file: CentreFile = "results") =>
    send<{ upload_url: string; expires_in: number }>(
      "PUT",
      `${centre(centreId)}/results/${encodeURIComponent(seriesId)}?file=${file}`,
      {},
    ),
  putA2cKeys: (centreId: string, keys: A2CKey[]) =>
    send<{ centre_id: string; count: number }>("PUT", `${centre(centreId)}/a2c-keys`, { keys }),
  createResource: (body: Record<string, unknown>) =>
    send<Resource & { upload_url: string }>("POST", "/resources", body),

  a2cKeys: (centreId: string) => send<{ keys: A2CKey[] }>("GET", `${centre(centreId)}/a2c-keys`),
  results: (centreId: string) =>
    send<{ series: CentreSeries[] }>("GET", `${centre(centreId)}/results`),
  download: (centreId: string, seriesId: string, file: CentreFile) =>
    send<Download>(
      "GET",
      file === "results"
        ? `${centre(centreId)}/results/${encodeURIComponent(seriesId)}/file`
        : `${centre(centreId)}/reports/item-level-data/${encodeURIComponent(seriesId)}`,
    ),
  resources: (filter: { kind?: string; subject?: string; cursor?: string }) => {
    const query = new URLSearchParams({ limit: "50" });
    for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
    return send<{ resources: Resource[]; next_cursor: string | null }>(
      "GET",
      `/resources?${query.toString()}`,
    );
  },
};

/**
 * Sends a file straight to a presigned S3 URL. No portal token goes with it: the URL itself
 * carries a short-lived permission for this one object.
 */
export async function uploadFile(url: string, file: File): Promise<void> {
  let reply: Response;
  try {
    reply = await fetch(url, { method: "PUT", body: file, credentials: "omit" });
  } catch {
    throw new ApiError(0, "network_error", "");
  }
  if (!reply.ok) throw new ApiError(reply.status, "upload_failed", "");
}
