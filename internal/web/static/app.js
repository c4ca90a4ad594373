// supportbot web chat. Plain JavaScript, no build step. Everything the bot
// says is inserted as text (never as HTML), and links are only http(s).
"use strict";

(function () {
  const KEY = "supportbot.session";
  // The id of the last message of the staff shown, so that a reload
  // resumes their stream where it was (Server-Sent Events, Last-Event-ID).
  const LAST = "supportbot.last";
  const UI = {
    ja: {
      title: "サイバーセキュリティ支援案内", skip: "入力欄へ移動", reset: "最初から", label: "質問を入力",
      placeholder: "例：中小企業向けの支援", send: "送信", thinking: "回答を準備しています…",
      chips: "次の操作", newTab: "（新しいタブで開きます）",
      offline: "通信できませんでした。接続を確認して、もう一度送ってください。",
      rate: "送信が続いています。少し待ってから、もう一度送ってください。",
      error: "エラーが起きました。もう一度お試しください。", details: "詳しく",
      relayed: "相談員に送りました", staff: "相談員",
    },
    en: {
      title: "Cybersecurity support finder", skip: "Skip to the message box", reset: "Start over", label: "Your question",
      placeholder: "e.g. support for small businesses", send: "Send", thinking: "Preparing an answer…",
      chips: "Next actions", newTab: "(opens in a new tab)",
      offline: "Could not reach the bot. Check your connection and send again.",
      rate: "You are sending quickly. Wait a moment, then send again.",
      error: "Something went wrong. Please try again.", details: "Details",
      relayed: "Sent to the staff", staff: "Staff",
    },
  };

  // The conversation is a list (<ol>) inside a live region: role="log"
  // on the list itself would take away its list semantics.
  const log = document.getElementById("log");
  const region = document.getElementById("log-region");
  const form = document.getElementById("form");
  const input = document.getElementById("q");
  const send = document.getElementById("send");
  const status = document.getElementById("status");
  const langButton = document.getElementById("lang");
  const resetButton = document.getElementById("reset");

  let lang = (navigator.language || "ja").toLowerCase().startsWith("ja") ? "ja" : "en";
  let session = read();
  let busy = false;
  let last = readLast();
  let stream = null;

  function read() {
    try { return localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }
  function keep(id) {
    session = id;
    try { localStorage.setItem(KEY, id); } catch (e) { /* private mode: the session lasts the page */ }
  }
  function forget() {
    session = "";
    last = 0;
    closeStream();
    try { localStorage.removeItem(KEY); localStorage.removeItem(LAST); } catch (e) { /* nothing kept */ }
  }
  function readLast() {
    try { return Number(localStorage.getItem(LAST)) || 0; } catch (e) { return 0; }
  }
  function keepLast(id) {
    last = id;
    try { localStorage.setItem(LAST, String(id)); } catch (e) { /* the page remembers */ }
  }

  // While a ticket is open (answer.ticket), the staff's replies arrive on
  // a stream. The browser reconnects by itself, sending the last event's
  // id; a reload resumes from the id kept above. An event already shown
  // is never shown again.
  function openStream() {
    if (stream || !session || typeof EventSource === "undefined") return;
    stream = new EventSource("/api/stream?session=" + encodeURIComponent(session) + "&after=" + last);
    stream.addEventListener("message", onStaff);
    stream.addEventListener("closed", (ev) => { onStaff(ev); closeStream(); });
  }
  function closeStream() {
    if (stream) { stream.close(); stream = null; }
  }
  function onStaff(ev) {
    const id = Number(ev.lastEventId) || 0;
    if (id && id <= last) return;
    let a = null;
    try { a = JSON.parse(ev.data); } catch (e) { return; }
    if (id) keepLast(id);
    show(render(a));
  }
  function follow(a) {
    if (a.ticket) openStream();
    else if (a.kind !== "relayed") closeStream();
  }

  // The captions of a card's fields are the bot's, the same in every
  // channel; the server puts them in the page.
  const CAPTIONS = JSON.parse(document.getElementById("captions").textContent);
  function t(key) { return UI[lang][key] || CAPTIONS[lang][key]; }

  function setLang(l) {
    if (l !== "ja" && l !== "en") return;
    lang = l;
    document.documentElement.lang = l;
    document.title = t("title") + " | " + (l === "ja" ? "Cybersecurity support finder" : "サイバーセキュリティ支援案内");
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
    langButton.textContent = l === "ja" ? "English" : "日本語";
    langButton.lang = l === "ja" ? "en" : "ja";
  }

  // el builds an element with text; children may be nodes or strings.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c);
    }
    return e;
  }

  function safeURL(u) {
    try {
      const url = new URL(u);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (e) { return ""; }
  }

  function link(href, text) {
    const u = safeURL(href);
    if (!u) return document.createTextNode(text);
    return el("a", { href: u, target: "_blank", rel: "noopener noreferrer" }, text, el("span", { class: "sr-only", text: t("newTab") }));
  }

  function labelled(label, value, cls) {
    if (!value) return null;
    return el("p", { class: cls || "meta" }, el("span", { class: "label", text: label + ": " }), value);
  }

  // add appends the children that exist (append would write "null").
  function add(parent, ...children) {
    for (const c of children) if (c !== undefined && c !== null && c !== false) parent.append(c);
    return parent;
  }

  let cardSeq = 0;
  function card(c, n) {
    const id = "card-" + (++cardSeq);
    const art = el("article", { class: "card", "aria-labelledby": id });
    add(art,
      el("h2", { id: id, text: (n ? n + ". " : "") + c.title }),
      labelled(t("organizations"), (c.organizations || []).join(lang === "ja" ? "、" : ", ")),
      labelled(t("audiences"), (c.audiences || []).join(lang === "ja" ? "、" : ", ")),
      el("p", { text: c.summary }),
      labelled(t("next_step"), c.next_step, "next"),
      labelled(t("status"), c.status, "status-line"));
    const d = c.detail;
    if (d) {
      art.append(el("h3", { text: t("seed_text") }));
      art.append(el("blockquote", { class: "seed", lang: "ja" }, el("p", { text: d.seed_text })));
      art.append(el("p", { class: "meta", text: d.owner }));
      if (d.notes && d.notes.length) {
        art.append(el("h3", { text: t("notes") }));
        art.append(el("ul", {}, ...d.notes.map((x) => el("li", { text: x }))));
      }
      if (d.facts && d.facts.length) {
        art.append(el("h3", { text: t("facts") }));
        art.append(el("ul", {}, ...d.facts.map((f) => el("li", {}, f.text + " (",
          safeURL(f.source) ? link(f.source, t("source")) : (f.source || t("source")),
          (f.seen ? ", " + t("as_of").replace("%s", f.seen) : "") + ")"))));
      }
    }
    const actions = el("div", { class: "actions" });
    for (const b of c.buttons || []) {
      if (b.action) {
        actions.append(el("button", { type: "button", "aria-describedby": id,
          onclick: () => tap(b.action, b.label + ": " + c.title) }, b.label));
      } else if (b.url && safeURL(b.url)) {
        const a = link(b.url, b.label);
        a.className = "link-button";
        a.setAttribute("aria-describedby", id);
        actions.append(a);
      }
    }
    if (actions.childElementCount) art.append(actions);
    art.append(el("p", { class: "cite", text: c.citation }));
    return el("li", {}, art);
  }

  function contacts(list) {
    const id = "contacts-" + (++cardSeq);
    return el("section", { class: "contacts", "aria-labelledby": id },
      el("h2", { id: id, text: t("contacts") }),
      el("ul", {}, ...list.map((c) => el("li", {},
        el("strong", { text: c.name }),
        el("p", { text: c.what }),
        c.phone ? el("p", {}, t("phone") + ": ", el("a", { href: "tel:" + c.phone.replace(/[^0-9+#*]/g, "") }, c.phone)) : null,
        c.url ? el("p", {}, link(c.url, t("website"))) : null))));
  }

  // feedback asks whether an answer helped: two real buttons in a
  // labelled group, the chosen one marked pressed. A second tap on the
  // other changes the vote (the server keeps one per answer).
  function feedback(f) {
    const id = "feedback-" + (++cardSeq);
    const group = el("div", { class: "feedback", role: "group", "aria-labelledby": id },
      el("span", { id: id, class: "feedback-q", text: t("feedback") }));
    const buttons = [];
    for (const [action, icon, key] of [[f.up, "👍", "helpful"], [f.down, "👎", "not_helpful"]]) {
      const b = el("button", { type: "button", "aria-pressed": "false" },
        el("span", { "aria-hidden": "true", text: icon + " " }), t(key));
      b.addEventListener("click", () => {
        if (busy) return;
        for (const other of buttons) other.setAttribute("aria-pressed", other === b ? "true" : "false");
        tap(action, icon + " " + t(key));
      });
      buttons.push(b);
      group.append(b);
    }
    return group;
  }

  function render(a) {
    setLang(a.lang);
    const staff = a.kind === "staff";
    const item = el("li", { class: staff ? "msg bot staff" : "msg bot", lang: a.lang });
    if (staff) item.append(el("p", { class: "from", text: t("staff") }));
    item.append(el("p", { class: "text", text: a.text }));
    if (a.contacts && a.contacts.length) item.append(contacts(a.contacts));
    if (a.cards && a.cards.length) {
      const numbered = a.kind !== "details";
      const start = (a.offset || 0) + 1;
      item.append(el("ol", { class: "cards", start: String(start) },
        ...a.cards.map((c, i) => card(c, numbered ? start + i : 0))));
    }
    if (a.feedback && a.feedback.up && a.feedback.down) item.append(feedback(a.feedback));
    if (a.suggestions && a.suggestions.length) {
      item.append(el("div", { class: "chips", role: "group", "aria-label": t("chips") },
        ...a.suggestions.map((s) => el("button", { type: "button", onclick: () => tap(s.action, s.label) }, s.label))));
    }
    if (a.footer) item.append(el("p", { class: "foot", text: a.footer }));
    return item;
  }

  function show(item) {
    log.append(item);
    item.scrollIntoView({ block: "start" });
  }

  function say(text) {
    show(el("li", { class: "msg me" }, el("p", { text: text })));
  }

  function fail(message) {
    show(el("li", { class: "msg error", role: "alert" }, message));
  }

  function setBusy(b) {
    busy = b;
    send.disabled = b;
    region.setAttribute("aria-busy", b ? "true" : "false");
    status.textContent = b ? t("thinking") : "";
  }

  async function ask(body) {
    if (busy) return;
    setBusy(true);
    body.lang = lang;
    if (session) body.session = session;
    try {
      const res = await fetch("/api/chat", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      let data = null;
      try { data = await res.json(); } catch (e) { /* not JSON: a proxy error page */ }
      if (res.status === 429) { fail(t("rate")); return; }
      if (!res.ok || !data || !data.answer) {
        if (res.status === 400 && data && /session/.test(data.error || "")) forget();
        fail((data && data.error) || t("error"));
        return;
      }
      keep(data.session);
      if (data.answer.kind === "relayed") {
        // Passed to the staff: the bot says nothing; the message says
        // where it went.
        const mine = log.querySelectorAll("li.msg.me");
        if (mine.length) mine[mine.length - 1].append(el("span", { class: "sent", text: t("relayed") }));
      } else {
        show(render(data.answer));
      }
      follow(data.answer);
    } catch (e) {
      fail(t("offline"));
    } finally {
      setBusy(false);
    }
  }

  // tap sends a button's action; focus goes back to the message box so a
  // keyboard or screen-reader user continues from one place.
  function tap(action, label) {
    if (busy) return;
    say(label);
    input.focus();
    ask({ action: { kind: action.kind, value: action.value || "" } });
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    say(text);
    input.value = "";
    // The send button is disabled while the bot answers, which would drop
    // its focus: keep the person in the message box.
    input.focus();
    ask({ text: text });
  });

  langButton.addEventListener("click", () => {
    const other = lang === "ja" ? "en" : "ja";
    tap({ kind: "lang", value: other }, langButton.textContent);
  });

  resetButton.addEventListener("click", () => {
    forget();
    log.replaceChildren();
    input.focus();
    ask({ action: { kind: "greet" } });
  });

  setLang(lang);
  ask({ action: { kind: "greet" } });
})();
