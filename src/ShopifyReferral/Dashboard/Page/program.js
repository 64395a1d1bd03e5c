// Program settings (GET/PUT /api/program) and the CSV exports.
import { api } from "./api.js";
import { $ } from "./format.js";

export async function loadProgram() {
  const p = await api("/program");
  $("#prog-version").textContent = `version ${p.version}`;
  const form = $("#program");
  form.dataset.settings = JSON.stringify(p.settings);
  for (const el of form.elements) {
    if (!el.name) continue;
    const v = el.name.split(".").reduce((o, k) => o?.[k], p.settings);
    if (el.type === "checkbox") el.checked = !!v; else el.value = v ?? "";
  }
}

export async function saveProgram(e) {
  e.preventDefault();
  const form = e.target, settings = JSON.parse(form.dataset.settings);
  for (const el of form.elements) {
    if (!el.name) continue;
    const path = el.name.split("."), last = path.pop(), target = path.reduce((o, k) => o[k], settings);
    // An empty text box is "not set" (null), as an empty number box is: a product id only a free product names.
    target[last] = el.type === "checkbox" ? el.checked : el.value === "" && el.tagName === "INPUT" ? null : el.type === "number" ? Number(el.value) : el.value;
  }
  if (settings.minimumOrderSubtotal == null) settings.minimumOrderSubtotal = 0;
  try { await api("/program", { method: "PUT", body: JSON.stringify(settings) }); $("#prog-status").textContent = "Saved."; await loadProgram(); }
  catch (err) { $("#prog-status").textContent = err.message; }
}

export async function download(kind) {
  const res = await api(`/export/${kind}.csv`);
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await res.blob()), download: `${kind}.csv` });
  a.click();
  URL.revokeObjectURL(a.href);
}
