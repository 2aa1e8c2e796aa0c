// Small progressive enhancements; every page also works without JavaScript.
(function () {
  "use strict";

  const plural = (n, one, many) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

  function bulkForm() { return document.getElementById("bulk-form"); }

  function selectionState() {
    const form = bulkForm();
    if (!form) return { rows: [], checked: [], all: false, total: null, totalLabel: "" };
    const rows = [...form.querySelectorAll("[data-select-row]")];
    const checked = rows.filter((box) => box.checked);
    const allInput = form.querySelector("[data-select-all-input]");
    return {
      rows, checked, all: allInput && allInput.value === "1",
      total: form.dataset.total ? parseInt(form.dataset.total, 10) : null,
      totalLabel: form.dataset.totalLabel || "",
    };
  }

  function refreshSelection() {
    const form = bulkForm();
    const state = selectionState();
    const trigger = document.querySelector("[data-delete-trigger]");
    if (trigger) {
      const none = state.checked.length === 0 && !state.all;
      trigger.disabled = none;
      trigger.setAttribute("aria-disabled", String(none));
    }
    refreshExport(state);
    if (!form) return;
    const pageBox = form.querySelector("[data-select-page]");
    if (pageBox) {
      pageBox.checked = state.rows.length > 0 && state.checked.length === state.rows.length;
      pageBox.indeterminate = state.checked.length > 0 && !pageBox.checked;
    }
    const banner = form.querySelector("[data-select-all-banner]");
    if (!banner) return;
    const pageFull = state.rows.length > 0 && state.checked.length === state.rows.length;
    // More contacts match than this page shows when there is a page before or after it.
    const morePages = document.querySelector("a[data-pager-end]");
    const showBanner = pageFull && morePages !== null;
    banner.classList.toggle("d-none", !showBanner && !state.all);
    const text = banner.querySelector("[data-select-all-text]");
    const allText = state.total === null
      ? `All contacts that match are selected (${state.totalLabel}).`
      : `All ${plural(state.total, "contact", "contacts")} that match are selected.`;
    text.textContent = state.all
      ? allText
      : `All ${plural(state.rows.length, "contact", "contacts")} on this page are selected.`;
    banner.querySelector("[data-select-all-button]").classList.toggle("d-none", state.all);
    banner.querySelector("[data-clear-selection-button]").classList.toggle("d-none", !state.all);
  }

  // Export takes the selection Delete takes; its label and title say which contacts.
  function refreshExport(state) {
    const button = document.querySelector("[data-export-trigger]");
    if (!button) return;
    const label = button.querySelector("[data-export-label]");
    let text = "Export";
    let title = "No rows ticked: exports every contact that matches the filter, all pages";
    const form = bulkForm();
    const empty = form !== null && form.dataset.rows === "0";
    button.disabled = empty;
    if (empty) {
      title = "Nothing to export: no contacts are listed";
      button.setAttribute("aria-describedby", "export-reason");
    } else {
      button.removeAttribute("aria-describedby");
    }
    if (state.all) {
      text = state.total === null ? "Export all that match" : `Export all ${plural(state.total, "contact", "contacts")}`;
      title = "Exports every contact that matches the filter, all pages";
    } else if (state.checked.length) {
      text = `Export ${plural(state.checked.length, "selected contact", "selected contacts")}`;
      title = "Exports the ticked rows only";
    }
    label.textContent = text;
    button.title = title;
  }

  function setSelectAll(on) {
    const input = bulkForm().querySelector("[data-select-all-input]");
    input.value = on ? "1" : "";
    if (!on) bulkForm().querySelectorAll("[data-select-row]").forEach((b) => { b.checked = false; });
    refreshSelection();
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("[data-select-page]")) {
      bulkForm().querySelectorAll("[data-select-row]").forEach((b) => { b.checked = target.checked; });
      if (!target.checked) setSelectAll(false);
      refreshSelection();
    } else if (target.matches("[data-select-row]")) {
      if (!target.checked) bulkForm().querySelector("[data-select-all-input]").value = "";
      refreshSelection();
    } else if (target.matches("input[name=identifier_type]")) {
      const help = document.getElementById("id_identifier_helptext");
      if (help && target.dataset.help) help.textContent = target.dataset.help;
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    // Each of these buttons hides itself: the focus goes to the control that takes its place.
    if (target.matches("[data-select-all-button]")) {
      setSelectAll(true);
      bulkForm().querySelector("[data-clear-selection-button]").focus();
    } else if (target.matches("[data-clear-selection-button]")) {
      setSelectAll(false);
      bulkForm().querySelector("[data-select-page]").focus();
    } else if (target.matches("[data-delete-trigger]") && window.bootstrap) {
      const state = selectionState();
      // "All that match" of an estimated total: the server counts them exactly on its
      // confirmation page instead.
      if (state.all && state.total === null) return;
      event.preventDefault();
      const count = state.all ? state.total : state.checked.length;
      if (count === 0) return;
      const dialog = document.getElementById("delete-dialog");
      const summary = state.all
        ? `Delete all ${plural(count, "contact", "contacts")} that match the filter?`
        : `Delete ${plural(count, "contact", "contacts")}?`;
      dialog.querySelector("[data-delete-summary]").textContent = summary;
      dialog.querySelector("[data-delete-confirm]").textContent = `Delete ${plural(count, "contact", "contacts")}`;
      // Bootstrap returns focus on closing only to a trigger of its own data attributes:
      // this one is a submit button, so focus goes back to it here.
      const trigger = target.closest("[data-delete-trigger]");
      dialog.addEventListener("hidden.bs.modal", () => trigger.focus(), { once: true });
      bootstrap.Modal.getOrCreateInstance(dialog).show(trigger);
    }
  });

  // A link that comes back here (Create) names the list as the address bar shows it now:
  // htmx changes the filter and the URL without reloading the link.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-next-here]");
    if (!link) return;
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    link.href = url.toString();
  });

  document.addEventListener("DOMContentLoaded", refreshSelection);
  document.addEventListener("htmx:afterSwap", refreshSelection);

  // Contact Profile: warn before leaving with unsaved changes. Close discards them, so it
  // asks first; Save does not.
  const profileForm = () => document.querySelector("form[data-warn-unsaved]");
  let openedState = null;
  let leaving = false;

  function formState(form) {
    return [...form.elements]
      .filter((el) => el.name && el.type !== "hidden" && !el.disabled)
      .map((el) => `${el.name}=${el.type === "checkbox" || el.type === "radio" ? el.checked : el.value}`)
      .join("\n");
  }

  function hasUnsavedChanges() {
    const form = profileForm();
    if (!form || leaving) return false;
    // The server marks a form it showed again with the user's unsaved input in it.
    return form.dataset.unsaved === "true" || formState(form) !== openedState;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = profileForm();
    if (!form) return;
    openedState = formState(form);
    // Only here: elsewhere a beforeunload listener would just keep pages out of the back cache.
    window.addEventListener("beforeunload", (event) => {
      if (!hasUnsavedChanges()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
  // Back to a page the browser kept (its back cache): it would show the edits the user
  // discarded under a header with the stored values. The form goes back to what the server
  // sent (autocomplete="off" keeps the browser from filling it in on a reload).
  window.addEventListener("pageshow", (event) => {
    leaving = false;
    const form = profileForm();
    if (!event.persisted || !form) return;
    form.reset();
    openedState = formState(form);
  });
  document.addEventListener("submit", (event) => {
    if (event.target === profileForm()) leaving = true;
  });
  document.addEventListener("click", (event) => {
    const close = event.target.closest("a[data-discard-changes]");
    if (!close || !hasUnsavedChanges()) return;
    if (window.confirm("Discard your unsaved changes to this contact?")) leaving = true;
    else event.preventDefault();
  });
  // The server shows the tab the user was on again when it returns the form.
  document.addEventListener("shown.bs.tab", (event) => {
    const input = document.querySelector("[data-active-tab]");
    const target = event.target.dataset.bsTarget || "";
    if (input) input.value = target.replace("#tab-", "");
  });
  // A progress bar's width comes in data-progress (percent): the Content Security Policy
  // forbids style attributes, but a script may set the style property.
  function sizeProgressBars(root) {
    const bars = [...root.querySelectorAll("[data-progress]")];
    if (root.matches && root.matches("[data-progress]")) bars.push(root);
    bars.forEach((bar) => { bar.style.width = `${parseInt(bar.dataset.progress, 10) || 0}%`; });
  }
  document.addEventListener("DOMContentLoaded", () => sizeProgressBars(document));
  document.addEventListener("htmx:load", (event) => sizeProgressBars(event.detail.elt));
  // A closed notice takes its Close button with it: the focus goes on to the next notice's
  // Close button, or to the main content, instead of falling back to the top of the page.
  let closingNotice = false;
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.matches("[data-dismiss-notice]")) closingNotice = true;
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (!event.detail.successful && event.detail.elt.matches("[data-dismiss-notice]")) closingNotice = false;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!closingNotice) return;
    closingNotice = false;
    const next = document.querySelector("#deletions [data-dismiss-notice] button");
    (next || document.getElementById("main")).focus();
  });
  // A swap that takes away the control with the focus (a pager link, a sort header, Older)
  // would leave it on <body>: it goes to the same control in the new content (same id, or
  // same kind and name), else to the new content's summary, else to the swapped box.
  const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  const swappedFocus = new WeakMap(); // swapped box -> key of the control that had the focus
  function focusKey(el) {
    if (el.id) return `#${el.id}`;
    const name = el.getAttribute("aria-label") || el.textContent;
    return `${el.tagName}|${el.getAttribute("rel") || ""}|${name.replace(/\s+/g, " ").trim()}`;
  }
  document.addEventListener("htmx:beforeSwap", (event) => {
    const active = document.activeElement;
    const box = event.detail.target;
    if (active && active !== document.body && box.contains(active)) swappedFocus.set(box, focusKey(active));
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const box = event.detail.target;
    const key = swappedFocus.get(box);
    swappedFocus.delete(box);
    // Kept (htmx refocuses an element by its id) or moved on by another handler.
    if (key === undefined || !box.isConnected || (document.activeElement && document.activeElement !== document.body)) return;
    const same = [...box.querySelectorAll(FOCUSABLE)]
      .find((el) => focusKey(el) === key && el.getClientRects().length > 0);
    const next = same || box.querySelector("[data-focus-fallback]") || box;
    if (next === box && !box.hasAttribute("tabindex")) box.tabIndex = -1;
    next.focus();
  });

  // The live region says what a swap brought (its data-announce); a poll that brings the
  // same text again says nothing, a request of the user says it again.
  let lastAnnounced = "";
  const announcement = (root) => {
    const el = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    return el ? el.dataset.announce : null;
  };
  document.addEventListener("DOMContentLoaded", () => { lastAnnounced = announcement(document.body) || ""; });
  document.addEventListener("htmx:afterSettle", (event) => {
    const region = document.getElementById("live-status");
    const box = event.detail.target;
    const text = region && box.isConnected ? announcement(box) : null;
    const polled = !(event.detail.requestConfig && event.detail.requestConfig.triggeringEvent);
    if (text === null || (polled && text === lastAnnounced)) return;
    lastAnnounced = text;
    region.textContent = "";
    // A moment empty, so that the same text again is a change too.
    setTimeout(() => { region.textContent = text; }, 100);
  });
  // Messages shown with the page (e.g. "Contact ID 3004 saved."): a live region reads out
  // what changes in it, not what it held at load, so their words go to the status region
  // once the page has loaded. The messages themselves stay where they are: taking them out
  // and back made the page jump.
  document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("live-status");
    const words = [...document.querySelectorAll("#messages .alert")]
      .map((alert) => alert.textContent.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    if (!region || !words.length) return;
    setTimeout(() => { region.textContent = words.join(" "); }, 250);
  });

  // A message closed with its button takes the focus with it: it goes on to the next
  // message's Close button, or to the main content.
  document.addEventListener("close.bs.alert", (event) => {
    const alert = event.target;
    if (!alert.contains(document.activeElement)) return;
    const others = [...document.querySelectorAll("#messages .alert")].filter((el) => el !== alert);
    const next = (others.length && others[0].querySelector(".btn-close")) || document.getElementById("main");
    alert.addEventListener("closed.bs.alert", () => next.focus(), { once: true });
  });

  // A table wider than the screen scrolls inside its box: keyboard users scroll it once it
  // can take the focus, and screen readers name the region after the table's caption.
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      if (box.scrollWidth > box.clientWidth) {
        const caption = box.querySelector("caption");
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      } else if (box.getAttribute("role") === "region") {
        ["tabindex", "role", "aria-label"].forEach((name) => box.removeAttribute(name));
      }
    });
  }
  ["DOMContentLoaded", "htmx:afterSwap", "shown.bs.tab"].forEach((name) =>
    document.addEventListener(name, markScrollingTables));
  window.addEventListener("resize", markScrollingTables);

  // The row menus live in a box that scrolls sideways: fixed positioning keeps a menu of the
  // last rows from being cut off at the bottom of that box.
  document.addEventListener("DOMContentLoaded", () => {
    if (window.bootstrap) bootstrap.Dropdown.Default.popperConfig = { strategy: "fixed" };
  });

  // Import, step 1: a file dropped on the drop zone goes into its file input.
  function dropzoneOf(event) { return event.target.closest && event.target.closest("[data-dropzone]"); }
  function showChosenFile(zone, input) {
    const name = zone.querySelector("[data-dropzone-name]");
    if (name) name.textContent = input.files.length ? `Chosen: ${input.files[0].name}` : "";
  }
  ["dragenter", "dragover"].forEach((type) => document.addEventListener(type, (event) => {
    const zone = dropzoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("is-dragover");
  }));
  document.addEventListener("dragleave", (event) => {
    const zone = dropzoneOf(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("is-dragover");
  });
  document.addEventListener("drop", (event) => {
    const zone = dropzoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("is-dragover");
    const input = zone.querySelector("input[type=file]");
    if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    showChosenFile(zone, input);
  });
  document.addEventListener("change", (event) => {
    const zone = dropzoneOf(event);
    if (zone && event.target.matches("input[type=file]")) showChosenFile(zone, event.target);
  });

  // Open the tab named in the URL hash (e.g. #activity) or marked active by the server.
  document.addEventListener("DOMContentLoaded", () => {
    const hash = window.location.hash.replace("#", "");
    const button = hash && document.querySelector(`[data-bs-target="#tab-${hash}"]`);
    if (button && window.bootstrap) bootstrap.Tab.getOrCreateInstance(button).show();
  });
  // The profile's sticky header wraps to a height of its own: fields focused by keyboard
  // scroll clear of it (app.css reads the height; without a script it assumes 8rem).
  document.addEventListener("DOMContentLoaded", () => {
    const header = document.querySelector(".profile-header");
    if (!header || !window.ResizeObserver) return;
    new ResizeObserver(() => {
      const height = header.getBoundingClientRect().height;
      document.documentElement.style.setProperty("--profile-header-height", `${height + 16}px`);
    }).observe(header);
  });
  // Tab stays inside an open dialog. Bootstrap pulls the focus back only once it has left
  // the page: past the dialog's last control it went to the browser (or <body>) first.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const dialog = document.querySelector(".modal.show");
    if (!dialog) return;
    const controls = [...dialog.querySelectorAll("button, [href], input, select, textarea")]
      .filter((el) => !el.disabled && el.offsetParent !== null);
    if (!controls.length) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  // A form returned with errors: focus its first marked field on the tab shown (the server
  // opens the tab of the first error), as the field of a one-field form is focused.
  document.addEventListener("DOMContentLoaded", () => {
    const field = document.querySelector(".tab-pane.active [aria-invalid='true']");
    if (field) field.focus();
  });
})();
