import { renderJson } from "./json.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";
import type { Reporter } from "./types.js";

export type ReportFormat = "text" | "json" | "sarif";

export const REPORT_FORMATS: readonly ReportFormat[] = ["text", "json", "sarif"];

export const reporters: Record<ReportFormat, Reporter> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export type { ReportContext, Reporter, ScanStats } from "./types.js";
export { renderJson, renderSarif, renderText };
