// 综治中心培训沙盒：a Telegram-like chat page over the emulator's people's API.
// Plain JS, no build step, nothing from the internet. Message HTML comes from the server already
// sanitised (bot/emulator/formatting.render_html: every character escaped, only Telegram's tags).
"use strict";

const TZ = "Asia/Shanghai";
const MAX_SIDE_PANES = 3;
const NARROW = window.matchMedia("(max-width: 760px)");

const S = {
  sandbox: null,          // /sandbox/api/state
  clockOffset: 0,         // sandbox ms − this browser's ms
  people: [],             // [{user_id, name, title, phone, role}] personas + users made here
  chats: new Map(),       // user id → {messages: Map(id → msg), keyboard, commands, loaded}
  unread: new Map(),      // user id → count
  panes: [],              // [{userId, el, ...}]
  pendingPresses: new Map(), // callback query id → button element
  read: {},               // user id → the sequence number up to which their chat was seen
  lastSeq: 0,             // the newest sequence number this page knows
  events: null,
};

// --- small helpers --------------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function request(method, url, body) {
  const options = { method, headers: {} };
  if (body instanceof FormData) {
    options.body = body;
  } else if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) {
    const message = (data && (data.error || data.description)) || `请求失败（${response.status}）`;
    throw new Error(message);
  }
  return data;
}

const dateFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TZ, year: "numeric", month: "long", day: "numeric", weekday: "short",
  hour: "2-digit", minute: "2-digit", hour12: false,
});
const timeFormat = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hour12: false });
const dayFormat = new Intl.DateTimeFormat("zh-CN", { timeZone: TZ, month: "long", day: "numeric", weekday: "short" });

function sandboxNow() { return new Date(Date.now() + S.clockOffset); }

let toastTimer = null;
function toast(text, ms = 3200) {
  const box = $("#toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, ms);
}

function showAlert(text) {
  $("#alert-text").textContent = text;
  const dialog = $("#alert-dialog");
  if (!dialog.open) dialog.showModal();
}

function confirmDialog(text, okLabel = "确定") {
  return new Promise((resolve) => {
    const dialog = $("#confirm-dialog");
    $("#confirm-text").textContent = text;
    $("#confirm-ok").textContent = okLabel;
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
  });
}

function person(userId) { return S.people.find((p) => p.user_id === userId); }

function chatOf(userId) {
  let chat = S.chats.get(userId);
  if (!chat) {
    chat = { messages: new Map(), keyboard: null, commands: [], loaded: false };
    S.chats.set(userId, chat);
  }
  return chat;
}

// --- the sandbox state and its clock ---------------------------------------------------------------

async function loadState() {
  const state = await request("GET", "/sandbox/api/state");
  S.sandbox = state;
  S.clockOffset = state.now_ms - Date.now();
  const made = S.people.filter((p) => !p.persona);
  S.people = state.personas.map((p) => ({ ...p, persona: true }));
  for (const extra of made) if (!person(extra.user_id)) S.people.push(extra);
  for (const p of S.people) {
    const title = (state.titles || {})[p.user_id];
    if (title) { p.title = title; p.role = p.role || "registered"; }
  }
  if (state.work_hours) $("#work-hours").textContent = state.work_hours.replaceAll("-", "–").replaceAll(",", "、");
  tickClock();
  return state;
}

// Everyone in the emulated world, and what each has not seen yet (kept per sandbox instance, so a
// reset or a restart starts with fresh marks). Returns the sequence number to stream events from.
async function loadUsers() {
  const data = await request("GET", "/people/api/users");
  try { S.read = JSON.parse(localStorage.getItem(readKey()) || "{}"); } catch (e) { S.read = {}; }
  S.unread.clear();
  for (const user of data.users) {
    if (!person(user.id)) {
      S.people.push({ user_id: user.id, name: user.name, title: "新用户（未登记）", phone: fakePhone(user.id), role: null });
    }
    const seen = S.read[user.id] || 0;
    S.unread.set(user.id, user.bot_seqs.filter((seq) => seq > seen).length);
  }
  S.lastSeq = Math.max(S.lastSeq, data.seq);
  return data.seq;
}

function readKey() { return `sandbox.read.${S.sandbox ? S.sandbox.instance : ""}`; }

function fakePhone(userId) { return "139" + String(userId).padStart(8, "0").slice(-8); }

function tickClock() {
  $("#clock").textContent = dateFormat.format(sandboxNow());
}

async function moveClock(action, button) {
  const buttons = document.querySelectorAll("[data-clock]");
  buttons.forEach((b) => { b.disabled = true; });
  button.classList.add("busy");
  try {
    const state = await request("POST", "/sandbox/api/clock", { action });
    S.clockOffset = state.now_ms - Date.now();
    tickClock();
    toast(`已快进到 ${dateFormat.format(sandboxNow())}，定时任务已运行。`);
  } catch (error) {
    toast(error.message);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
    button.classList.remove("busy");
  }
}

async function resetSandbox() {
  const ok = await confirmDialog("重置会清除所有聊天记录和您在沙盒里做的一切修改，恢复初始的演示数据和时间。确定重置吗？", "重置");
  if (!ok) return;
  const button = $("#reset");
  button.disabled = true;
  showLoading("正在重置演示数据…");
  try {
    await request("POST", "/sandbox/api/reset", {});
    await reloadEverything();
    toast("已恢复演示数据。");
  } catch (error) {
    toast(error.message);
  } finally {
    button.disabled = false;
    hideLoading();
  }
}

function showLoading(text) {
  const box = $("#loading");
  box.textContent = text;
  box.hidden = false;
}

function hideLoading() { $("#loading").hidden = true; }

// --- people list -----------------------------------------------------------------------------------

function renderPeople() {
  const list = $("#people-list");
  list.replaceChildren();
  const shown = new Set(S.panes.map((p) => p.userId));
  for (const p of S.people) {
    const item = el("li", shown.has(p.user_id) ? "active" : "");
    item.dataset.user = p.user_id;
    const open = el("button", "person");
    open.type = "button";
    open.append(el("span", "avatar small", p.name.slice(0, 1)));
    const who = el("span", "who");
    who.append(el("span", "name", p.name), el("span", "title", p.title));
    open.append(who);
    const count = S.unread.get(p.user_id) || 0;
    const badge = el("span", "badge", count ? String(count) : "");
    badge.hidden = !count;
    open.append(badge);
    open.addEventListener("click", () => { openPane(p.user_id, false); closePeopleDrawer(); });
    const side = el("button", "side", "并排");
    side.type = "button";
    side.title = `并排查看 ${p.name}`;
    side.setAttribute("aria-label", `并排查看 ${p.name}`);
    side.addEventListener("click", () => openPane(p.user_id, true));
    item.append(open, side);
    list.append(item);
  }
  let total = 0;
  S.unread.forEach((n) => { total += n; });
  const badge = $("#total-unread");
  badge.textContent = String(total);
  badge.hidden = !total;
  document.title = (total ? `(${total}) ` : "") + "综治中心 · 培训沙盒";
}

function openPeopleDrawer() { $("#people").classList.add("open"); }
function closePeopleDrawer() { $("#people").classList.remove("open"); }

async function newUser() {
  const name = window.prompt("新用户的名字（模拟一个还没登记的 Telegram 用户，可用邀请码登记）：", "新同事");
  if (!name || !name.trim()) return;
  try {
    const data = await request("POST", "/people/api/users", { first_name: name.trim() });
    const user = data.user;
    S.people.push({ user_id: user.id, name: user.name, title: "新用户（未登记）", phone: fakePhone(user.id), role: null });
    openPane(user.id, false);
  } catch (error) {
    toast(error.message);
  }
}

// --- panes -----------------------------------------------------------------------------------------

function savePanes() {
  try { localStorage.setItem("sandbox.panes", JSON.stringify(S.panes.map((p) => p.userId))); } catch (e) { /* private mode */ }
}

function visibleUsers() {
  const panes = NARROW.matches ? S.panes.slice(0, 1) : S.panes;
  return new Set(panes.map((p) => p.userId));
}

async function openPane(userId, side) {
  const existing = S.panes.find((p) => p.userId === userId);
  if (existing) {
    if (!side && S.panes[0] !== existing) {
      S.panes.splice(S.panes.indexOf(existing), 1);
      S.panes.unshift(existing);
      layoutPanes();
    }
    focusPane(existing);
  } else if (side && S.panes.length && !NARROW.matches) {
    if (S.panes.length >= MAX_SIDE_PANES) removePane(S.panes[S.panes.length - 1]);
    const pane = createPane(userId);
    S.panes.push(pane);
    layoutPanes();
    savePanes(); // before the history loads: a reload meanwhile keeps the new chat
    await fillPane(pane);
  } else {
    if (S.panes.length) removePane(S.panes[0]);
    const pane = createPane(userId);
    S.panes.unshift(pane);
    layoutPanes();
    savePanes();
    await fillPane(pane);
  }
  savePanes();
  renderPeople();
}

function layoutPanes() {
  const box = $("#panes");
  const tops = S.panes.map((pane) => pane.list.scrollTop);
  for (const pane of S.panes) box.append(pane.el);
  // Moving a chat in the page resets its scroll position: put it back (or at the newest message).
  S.panes.forEach((pane, i) => {
    if (pane.following) scrollToEnd(pane, true);
    else pane.list.scrollTop = pane.lastTop = tops[i];
  });
  box.dataset.count = String(S.panes.length);
}

function removePane(pane) {
  pane.el.remove();
  S.panes = S.panes.filter((p) => p !== pane);
  $("#panes").dataset.count = String(S.panes.length);
}

function focusPane(pane) {
  markRead(pane.userId);
  pane.input.focus({ preventScroll: true });
}

function createPane(userId) {
  const node = $("#pane-template").content.firstElementChild.cloneNode(true);
  const p = person(userId) || { name: `用户${userId}`, title: "" };
  node.dataset.user = userId;
  $(".avatar", node).textContent = p.name.slice(0, 1);
  $(".name", node).textContent = p.name;
  $(".title", node).textContent = p.title;
  const pane = {
    userId,
    el: node,
    list: $(".messages", node),
    input: $(".text-input", node),
    keyboard: $(".reply-keyboard", node),
    commands: $(".commands", node),
    startHint: $(".start-hint", node),
    attachMenu: $(".attach-menu", node),
    pill: $(".new-messages", node),
    lastDay: null,
    following: true, // at the newest message: new ones are brought into view
    lastTop: 0,      // the list's scroll position when last seen
    unseen: 0,       // bot messages that arrived while the person was reading further up
  };
  $(".close-pane", node).addEventListener("click", () => {
    if (S.panes.length === 1) { openPeopleDrawer(); return; }
    removePane(pane);
    savePanes();
    renderPeople();
  });
  $(".composer", node).addEventListener("submit", (event) => {
    event.preventDefault();
    sendTyped(pane);
  });
  pane.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendTyped(pane);
    }
  });
  pane.input.addEventListener("focus", () => markRead(userId));
  $(".start-button", node).addEventListener("click", () => send(pane, { kind: "text", text: "/start" }));
  $(".menu-button", node).addEventListener("click", () => toggleCommands(pane));
  $(".location-button", node).addEventListener("click", () => sendLocation(pane));
  $(".attach-button", node).addEventListener("click", () => {
    pane.attachMenu.hidden = !pane.attachMenu.hidden;
    pane.commands.hidden = true;
  });
  // What a phone can send: a photo or file, a voice message, a video (picked as files), a sticker.
  for (const [button, input, kind] of [["send-file", "file-input", null], ["send-voice", "voice-input", "voice"],
    ["send-video", "video-input", "video"]]) {
    const picker = $(`.${input}`, node);
    $(`.${button}`, node).addEventListener("click", () => { pane.attachMenu.hidden = true; picker.click(); });
    picker.addEventListener("change", () => {
      if (picker.files.length) sendFile(pane, picker.files[0], kind);
      picker.value = "";
    });
  }
  $(".send-sticker", node).addEventListener("click", () => {
    pane.attachMenu.hidden = true;
    send(pane, { kind: "sticker" });
  });
  pane.list.addEventListener("click", (event) => onMessageClick(pane, event));
  // Follow the newest message unless the person scrolled up to read; a pill then offers the way down.
  pane.list.addEventListener("scroll", () => {
    const list = pane.list;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < 24) {
      pane.following = true;
      hidePill(pane);
    } else if (list.scrollTop < pane.lastTop - 1) {
      pane.following = false; // scrolled up to read (content growing below is not that)
    }
    pane.lastTop = list.scrollTop;
  });
  pane.pill.addEventListener("click", () => scrollToEnd(pane, true));
  // A photo that loads, or a pane shown again (phones show one at a time), changes the heights.
  pane.list.addEventListener("load", () => scrollToEnd(pane, false), true);
  new ResizeObserver(() => scrollToEnd(pane, false)).observe(pane.list);
  return pane;
}

async function fillPane(pane) {
  try {
    const data = await request("GET", `/people/api/users/${pane.userId}/chat`);
    const chat = chatOf(pane.userId);
    chat.messages = new Map(data.messages.map((m) => [m.message_id, m]));
    chat.keyboard = data.keyboard;
    chat.commands = data.commands;
    chat.loaded = true;
    S.lastSeq = Math.max(S.lastSeq, data.seq);
  } catch (error) {
    toast(error.message);
  }
  renderPane(pane);
  markRead(pane.userId);
}

function renderPane(pane) {
  const chat = chatOf(pane.userId);
  pane.list.replaceChildren();
  pane.lastDay = null;
  const messages = [...chat.messages.values()].sort((a, b) => a.message_id - b.message_id);
  for (const msg of messages) appendMessage(pane, msg);
  pane.startHint.hidden = messages.length > 0;
  renderKeyboard(pane, chat.keyboard);
  scrollToEnd(pane, true);
}

// To the newest message and its buttons: always when `force`, otherwise only if the person was
// already there (decided before the change, as a tall reply would otherwise look like reading up).
function scrollToEnd(pane, force) {
  if (!force && !pane.following) return;
  pane.following = true;
  pane.list.scrollTop = pane.list.scrollHeight;
  pane.lastTop = pane.list.scrollTop;
  hidePill(pane);
}

function showPill(pane) {
  pane.unseen += 1;
  $(".count", pane.pill).textContent = pane.unseen > 1 ? String(pane.unseen) : "";
  pane.pill.hidden = false;
}

function hidePill(pane) {
  pane.unseen = 0;
  pane.pill.hidden = true;
}

function dayKey(seconds) { return dayFormat.format(new Date(seconds * 1000)); }

function appendMessage(pane, msg) {
  const day = dayKey(msg.date);
  if (day !== pane.lastDay) {
    pane.list.append(el("div", "day", day));
    pane.lastDay = day;
  }
  pane.list.append(messageNode(msg));
}

function messageNode(msg) {
  const node = el("div", `msg ${msg.from_bot ? "from-bot" : "from-me"} kind-${msg.kind}`);
  node.dataset.mid = msg.message_id;
  const bubble = el("div", "bubble");
  if (msg.reply_to) bubble.append(el("div", "quote", msg.reply_to.text || "（消息）"));
  const file = msg.file;
  if (msg.kind === "photo" && file) {
    const link = el("a", "photo");
    link.href = file.url;
    link.target = "_blank";
    link.rel = "noopener";
    const img = el("img");
    img.src = file.url;
    img.alt = "照片";
    img.loading = "lazy";
    link.append(img);
    bubble.append(link);
  } else if (msg.kind === "document" && file) {
    const link = el("a", "document");
    link.href = `${file.url}?download=1`;
    link.setAttribute("download", file.name || "文件");
    link.append(el("span", "doc-icon", "📄"));
    const info = el("span", "doc-info");
    info.append(el("span", "doc-name", file.name || "文件"), el("span", "doc-size", `${formatSize(file.size)} · 点击下载`));
    link.append(info);
    bubble.append(link);
  } else if ((msg.kind === "voice" || msg.kind === "audio") && file) {
    const audio = el("audio");
    audio.controls = true;
    audio.src = file.url;
    bubble.append(el("div", "media-label", msg.kind === "voice" ? `🎤 语音 ${file.duration || 0} 秒` : "🎵 音频"), audio);
  } else if (msg.kind === "video" && file) {
    bubble.append(el("div", "media-label", `🎬 视频 ${file.duration || 0} 秒`));
  } else if (msg.kind === "sticker") {
    bubble.append(el("div", "sticker", (file && file.emoji) || "🙂"));
  } else if (msg.kind === "location" && msg.location) {
    const box = el("div", "location");
    box.append(el("span", "pin", "📍"), el("span", "", `位置 ${msg.location.latitude.toFixed(5)}, ${msg.location.longitude.toFixed(5)}`));
    bubble.append(box);
  } else if (msg.kind === "contact" && msg.contact) {
    const c = msg.contact;
    const box = el("div", "contact");
    box.append(el("span", "pin", "👤"), el("span", "", `${[c.first_name, c.last_name].filter(Boolean).join(" ")} ${c.phone_number}`));
    bubble.append(box);
  }
  if (msg.html) {
    const text = el("div", "text");
    text.innerHTML = msg.html; // sanitised on the server: see the note at the top
    bubble.append(text);
  }
  const meta = el("div", "meta", timeFormat.format(new Date(msg.date * 1000)) + (msg.edited ? " · 已编辑" : ""));
  bubble.append(meta);
  node.append(bubble);
  if (msg.buttons && msg.buttons.length) {
    const board = el("div", "inline-keyboard");
    for (const row of msg.buttons) {
      const line = el("div", "row");
      for (const b of row) {
        const button = el("button", `inline-button type-${b.type}`, b.text);
        button.type = "button";
        button.dataset.row = b.row;
        button.dataset.col = b.col;
        if (b.type === "url") button.dataset.url = b.url;
        line.append(button);
      }
      board.append(line);
    }
    node.append(board);
  }
  return node;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function renderKeyboard(pane, keyboard) {
  const box = pane.keyboard;
  box.replaceChildren();
  if (!keyboard || !keyboard.rows.length) {
    box.hidden = true;
    pane.input.placeholder = "输入消息…";
    return;
  }
  for (const row of keyboard.rows) {
    const line = el("div", "row");
    for (const b of row) {
      const label = b.request_location ? `${b.text}（演示位置）` : b.text;
      const button = el("button", "key", label);
      button.type = "button";
      button.addEventListener("click", () => pressKey(pane, b));
      line.append(button);
    }
    box.append(line);
  }
  box.hidden = false;
  pane.input.placeholder = keyboard.placeholder || "输入消息…";
}

function markRead(userId) {
  S.read[userId] = S.lastSeq;
  try { localStorage.setItem(readKey(), JSON.stringify(S.read)); } catch (e) { /* private mode */ }
  if (S.unread.get(userId)) {
    S.unread.set(userId, 0);
    renderPeople();
  }
}

// --- acting as a person -----------------------------------------------------------------------------

async function send(pane, body) {
  try {
    await request("POST", `/people/api/users/${pane.userId}/send`, body);
  } catch (error) {
    toast(error.message);
  }
}

function sendTyped(pane) {
  const text = pane.input.value;
  if (!text.trim()) return;
  pane.input.value = "";
  pane.commands.hidden = true;
  send(pane, { kind: "text", text });
}

function sendLocation(pane) {
  const loc = S.sandbox.location;
  send(pane, { kind: "location", latitude: loc.latitude, longitude: loc.longitude });
}

function sendContact(pane) {
  const p = person(pane.userId);
  send(pane, { kind: "contact", phone_number: (p && p.phone) || fakePhone(pane.userId) });
}

async function sendFile(pane, file, kind) {
  const form = new FormData();
  form.append("kind", kind || (file.type.startsWith("image/") ? "photo" : "document"));
  form.append("file", file, file.name);
  if (kind !== "voice") { // a voice message has no caption: what is typed stays in the input
    const caption = pane.input.value.trim();
    if (caption) form.append("caption", caption);
    pane.input.value = "";
  }
  try {
    await request("POST", `/people/api/users/${pane.userId}/send`, form);
  } catch (error) {
    toast(error.message);
  }
}

function pressKey(pane, button) {
  if (button.request_contact) sendContact(pane);
  else if (button.request_location) sendLocation(pane);
  else send(pane, { kind: "text", text: button.text });
}

async function pressInline(pane, button) {
  const msgNode = button.closest(".msg");
  if (button.dataset.url) {
    openLink(pane, button.dataset.url);
    return;
  }
  button.classList.add("pressed");
  try {
    const data = await request("POST", `/people/api/users/${pane.userId}/press`, {
      message_id: Number(msgNode.dataset.mid), row: Number(button.dataset.row), col: Number(button.dataset.col),
      text: button.textContent,
    });
    if (data.url) {
      button.classList.remove("pressed");
      openLink(pane, data.url);
      return;
    }
    S.pendingPresses.set(data.callback_query_id, button);
    setTimeout(() => { button.classList.remove("pressed"); S.pendingPresses.delete(data.callback_query_id); }, 10000);
  } catch (error) {
    button.classList.remove("pressed");
    toast(error.message);
  }
}

function onMessageClick(pane, event) {
  const button = event.target.closest(".inline-button");
  if (button) {
    pressInline(pane, button);
    return;
  }
  const command = event.target.closest("a.tg-command");
  if (command) {
    event.preventDefault();
    send(pane, { kind: "text", text: command.dataset.command });
    return;
  }
  const link = event.target.closest(".text a[href]");
  if (link && startParameter(link.href) !== null) {
    event.preventDefault();
    openLink(pane, link.href);
  }
}

function startParameter(url) {
  try {
    const parsed = new URL(url);
    const bot = S.sandbox.bot.username.toLowerCase();
    if (parsed.hostname === "t.me" && parsed.pathname.replace(/^\//, "").toLowerCase() === bot) {
      return parsed.searchParams.get("start") || "";
    }
  } catch (e) { /* not a URL */ }
  return null;
}

function openLink(pane, url) {
  const start = startParameter(url);
  if (start === null) {
    window.open(url, "_blank", "noopener");
    return;
  }
  // A link to this bot: in Telegram it opens the chat and "开始" sends /start <parameter>.
  const dialog = $("#open-link-dialog");
  const select = $("#open-link-who");
  select.replaceChildren();
  const strangers = S.people.filter((p) => !p.role);
  for (const p of [...strangers, ...S.people.filter((p) => p.role)]) {
    const option = el("option", "", `${p.name} — ${p.title}`);
    option.value = p.user_id;
    select.append(option);
  }
  dialog.returnValue = "";
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "ok") return;
    const userId = Number(select.value);
    await openPane(userId, false);
    const target = S.panes.find((p) => p.userId === userId);
    send(target, { kind: "text", text: start ? `/start ${start}` : "/start" });
  }, { once: true });
  dialog.showModal();
}

async function toggleCommands(pane) {
  pane.attachMenu.hidden = true;
  const box = pane.commands;
  if (!box.hidden) { box.hidden = true; return; }
  try {
    const data = await request("GET", `/people/api/users/${pane.userId}/chat`);
    chatOf(pane.userId).commands = data.commands;
  } catch (error) { /* show what we have */ }
  box.replaceChildren();
  const commands = chatOf(pane.userId).commands;
  if (!commands.length) box.append(el("div", "empty", "还没有命令菜单，先发送 /start。"));
  for (const c of commands) {
    const item = el("button", "command");
    item.type = "button";
    item.append(el("span", "cmd", `/${c.command}`), el("span", "desc", c.description));
    item.addEventListener("click", () => {
      box.hidden = true;
      send(pane, { kind: "text", text: `/${c.command}` });
    });
    box.append(item);
  }
  box.hidden = false;
}

// --- live events -------------------------------------------------------------------------------------

function connectEvents(since) {
  if (S.events) S.events.close();
  const source = new EventSource(`/people/api/events?since=${since}`);
  S.events = source;
  source.addEventListener("message", (event) => onMessageEvent(JSON.parse(event.data)));
  source.addEventListener("answer", (event) => onAnswer(JSON.parse(event.data)));
  source.addEventListener("reset", () => reloadEverything());
}

let titlesTimer = null;
function refreshTitlesSoon() {
  // Someone not in the demo may have registered: show their new role (debounced).
  clearTimeout(titlesTimer);
  titlesTimer = setTimeout(async () => {
    try { await loadState(); } catch (e) { return; }
    for (const pane of S.panes) {
      const p = person(pane.userId);
      if (p) $(".title", pane.el).textContent = p.title;
    }
    renderPeople();
  }, 400);
}

function onMessageEvent(msg) {
  const userId = msg.chat_id; // private chats: the chat id is the person's id
  if (userId < 0) return; // groups are not shown on this page
  const who = person(userId);
  if (msg.from_bot && !(who && who.persona && who.role)) refreshTitlesSoon();
  const chat = chatOf(userId);
  const known = chat.messages.get(msg.message_id);
  S.lastSeq = Math.max(S.lastSeq, msg.seq);
  chat.keyboard = msg.keyboard;
  if (msg.deleted) chat.messages.delete(msg.message_id);
  else chat.messages.set(msg.message_id, msg);
  const shown = visibleUsers().has(userId) && document.visibilityState === "visible";
  if (!known && !msg.deleted && msg.from_bot && !shown) {
    S.unread.set(userId, (S.unread.get(userId) || 0) + 1);
    renderPeople();
  } else if (shown) {
    markRead(userId);
  }
  for (const pane of S.panes.filter((p) => p.userId === userId)) {
    const old = pane.list.querySelector(`.msg[data-mid="${msg.message_id}"]`);
    if (msg.deleted) {
      if (old) old.remove();
    } else if (old) {
      old.replaceWith(messageNode(msg));
    } else {
      appendMessage(pane, msg);
    }
    pane.startHint.hidden = chat.messages.size > 0;
    renderKeyboard(pane, chat.keyboard);
    if (!msg.from_bot || pane.following) scrollToEnd(pane, true);
    else if (!known && !msg.deleted) showPill(pane);
  }
}

function onAnswer(answer) {
  const button = S.pendingPresses.get(answer.id);
  if (button) {
    button.classList.remove("pressed");
    S.pendingPresses.delete(answer.id);
  }
  if (!visibleUsers().has(answer.user_id) || !answer.text) return;
  if (answer.show_alert) showAlert(answer.text);
  else toast(answer.text);
}

let reloading = null;
function reloadEverything() {
  // The reset button and the stream's reset event both ask; one reload serves both.
  if (!reloading) reloading = reload().finally(() => { reloading = null; });
  return reloading;
}

async function reload() {
  await waitUntilReady();
  S.chats.clear();
  S.lastSeq = 0;
  const seq = await loadUsers();
  for (const pane of S.panes) await fillPane(pane);
  connectEvents(seq);
  renderPeople();
}

// --- start ------------------------------------------------------------------------------------------

async function waitUntilReady() {
  for (;;) {
    try {
      const state = await loadState();
      if (state.ready) return state;
    } catch (e) { /* starting */ }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function boot() {
  $("#reset").addEventListener("click", resetSandbox);
  document.querySelectorAll("[data-clock]").forEach((b) => b.addEventListener("click", () => moveClock(b.dataset.clock, b)));
  $("#clock-help").addEventListener("click", () => {
    const note = $("#clock-note");
    note.hidden = !note.hidden;
    $("#clock-help").setAttribute("aria-expanded", String(!note.hidden));
  });
  $("#people-toggle").addEventListener("click", openPeopleDrawer);
  $("#people-close").addEventListener("click", closePeopleDrawer);
  $("#new-user").addEventListener("click", newUser);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") S.panes.slice(0, 1).forEach((p) => markRead(p.userId));
  });
  setInterval(tickClock, 1000);
  setInterval(() => { loadState().catch(() => {}); }, 30000);

  await waitUntilReady();
  const seq = await loadUsers();
  hideLoading();
  connectEvents(seq);
  let wanted = [];
  try { wanted = JSON.parse(localStorage.getItem("sandbox.panes") || "[]"); } catch (e) { wanted = []; }
  wanted = wanted.filter((id) => person(id));
  if (!wanted.length) wanted = [S.people.find((p) => p.role === "grid").user_id];
  for (const [i, id] of wanted.entries()) await openPane(id, i > 0);
  renderPeople();
}

document.addEventListener("DOMContentLoaded", boot);
