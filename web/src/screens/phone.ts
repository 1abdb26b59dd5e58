// A phone number as the guide asks for it: country code and number, joined to E.164.
import { ApiError } from "../api";
import { field, h } from "../dom";
import { t } from "../i18n";

export function phoneFields(current: string | null = null): HTMLElement {
  const match = /^(\+\d{1,3}?)(\d{6,})$/.exec(current ?? "");
  const code = match?.[1] ?? "+44";
  const number = match?.[2] ?? "";
  return h(
    "div",
    { class: "portal-phone" },
    field({ name: "country_code", label: t("phone.country_code"), hint: t("phone.country_code_hint"), value: code, width: "4", autocomplete: "tel-country-code", inputmode: "tel" }),
    field({ name: "phone_number", label: t("phone.number"), hint: t("phone.number_hint"), value: number, width: "20", autocomplete: "tel-national", inputmode: "tel", type: "tel" }),
  );
}

/** +44 and 07700 900123 become +447700900123; null when either part is missing. */
export function joinPhone(code: string, number: string): string | null {
  const digits = number.replace(/[\s()-]/g, "").replace(/^0/, "");
  const prefix = code.replace(/\s/g, "");
  if (!/^\+\d{1,4}$/.test(prefix) || !/^\d{6,14}$/.test(digits)) return null;
  return prefix + digits;
}

/**
 * The SMS set-up routes refuse a number that cannot exist (say 07700 900123, a drama number)
 * as a validation error, the phone being the only field the person typed; PATCH /me calls the
 * same thing invalid_phone. Screens word both alike, at the phone number.
 */
export async function phoneChecked<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.code === "validation_error") {
      throw new ApiError(error.status, "invalid_phone", error.message);
    }
    throw error;
  }
}
