/*
 * Chat widget for the social security card assistant (社保卡问答), talking to Rasa's
 * socket.io channel (credentials.yml: `socketio`). No framework, no CDN.
 *
 * Embed with one line:
 *
 *   <script src="http://HOST:8080/widget.js" data-rasa-url="http://HOST:5005"></script>
 *
 * Attributes of that <script> tag:
 *   data-rasa-url  the Rasa server (default: the widget's host, port 5005)
 *   data-lang      "en" or "zh" for the widget's own labels (default: from
 *                  navigator.language, else English); users may type in either language
 *   data-open      "true" to show the panel open on the first visit
 *
 * A `rasa` query parameter of the page (e.g. /?rasa=http://127.0.0.1:5099) overrides
 * data-rasa-url, but only on a page served from the widget's own origin (web/index.html),
 * so that a link to a third-party page embedding the widget cannot redirect it elsewhere.
 * The tests use it to point the page at a Rasa started on a free port.
 *
 * socket.io-client (web/vendor/socket.io.min.js) is loaded from the widget's origin.
 * Websocket transport only: Rasa's socket.io server does no CORS handling, so
 * cross-origin long-polling would be refused by the browser; websockets are not.
 *
 * The session id and the rendered conversation are kept in localStorage: a reload shows
 * the earlier messages and continues the same Rasa conversation (same tracker, so a
 * region named earlier still applies). "New conversation" forgets both.
 *
 * Message content is only ever set with textContent, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || document.getElementById("sscard-widget")) return;

  var STORAGE = "sscard.";
  var MAX_HISTORY = 200; // rendered messages kept for a reload
  var MAX_LENGTH = 1000; // the assistant answers longer messages with "too long"

  var LABELS = {
    en: {
      title: "Social security card assistant",
      placeholder: "Ask about the social security card…",
      send: "Send",
      open: "Chat about the social security card",
      close: "Close",
      restart: "New conversation",
      connecting: "Connecting…",
      reconnecting: "Connection lost. Reconnecting…",
      log: "Conversation",
    },
    zh: {
      title: "社保卡问答助手",
      placeholder: "请输入您关于社保卡的问题…",
      send: "发送",
      open: "社保卡问答",
      close: "关闭",
      restart: "新对话",
      connecting: "正在连接…",
      reconnecting: "连接已断开，正在重新连接…",
      log: "对话记录",
    },
  };

  var widgetUrl = new URL(script.src, document.baseURI);
  var rasaUrl = chooseRasaUrl();
  var lang = chooseLanguage();
  var t = LABELS[lang];

  // ---- storage (a browser may refuse it: the widget still works, without memory) ----

  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(STORAGE + key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(STORAGE + key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled */
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(STORAGE + key);
    } catch (error) {
      /* storage disabled */
    }
  }

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  function chooseRasaUrl() {
    var fromPage = new URLSearchParams(window.location.search).get("rasa");
    if (fromPage && window.location.origin === widgetUrl.origin && /^https?:\/\//i.test(fromPage)) {
      return fromPage;
    }
    return script.getAttribute("data-rasa-url") || widgetUrl.protocol + "//" + widgetUrl.hostname + ":5005";
  }

  function chooseLanguage() {
    var wanted = script.getAttribute("data-lang") || navigator.language || "en";
    return wanted.toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  }

  // ---- DOM ----

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A speech bubble drawn as SVG (an emoji would need an emoji font).
  function chatIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  var stylesheet = element("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("widget.css", widgetUrl).href;
  document.head.appendChild(stylesheet);

  var root = element("div", "sscard-widget");
  root.id = "sscard-widget";
  root.lang = lang === "zh" ? "zh-CN" : "en";

  var launcher = element("button", "sscard-launcher");
  launcher.id = "sscard-launcher";
  launcher.appendChild(chatIcon());
  launcher.type = "button";
  launcher.title = t.open;
  launcher.setAttribute("aria-label", t.open);

  var panel = element("section", "sscard-panel");
  panel.id = "sscard-panel";
  panel.setAttribute("aria-label", t.title);

  var header = element("header", "sscard-header");
  var title = element("h2", "sscard-title", t.title);
  var restart = element("button", "sscard-header-button", "↺");
  restart.type = "button";
  restart.title = t.restart;
  restart.setAttribute("aria-label", t.restart);
  var close = element("button", "sscard-header-button", "×");
  close.type = "button";
  close.title = t.close;
  close.setAttribute("aria-label", t.close);
  header.append(title, restart, close);

  var notice = element("div", "sscard-notice", t.connecting);
  notice.id = "sscard-notice";
  notice.setAttribute("role", "status");

  var messages = element("div", "sscard-messages");
  messages.id = "sscard-messages";
  messages.setAttribute("role", "log");
  messages.setAttribute("aria-live", "polite");
  messages.setAttribute("aria-label", t.log);

  var form = element("form", "sscard-form");
  var input = element("input", "sscard-input");
  input.id = "sscard-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = MAX_LENGTH;
  input.placeholder = t.placeholder;
  input.setAttribute("aria-label", t.placeholder);
  var sendButton = element("button", "sscard-send", t.send);
  sendButton.id = "sscard-send";
  sendButton.type = "submit";
  form.append(input, sendButton);

  panel.append(header, notice, messages, form);
  root.append(panel, launcher);
  document.body.appendChild(root);

  function setOpen(open) {
    root.classList.toggle("sscard-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    save("open", open);
    if (open) {
      messages.scrollTop = messages.scrollHeight;
      input.focus({ preventScroll: true });
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(!root.classList.contains("sscard-open"));
  });
  close.addEventListener("click", function () {
    setOpen(false);
  });

  function showNotice(text) {
    notice.textContent = text || "";
    notice.hidden = !text;
  }

  // ---- conversation ----

  var sessionId = load("session_id", null) || newSessionId();
  save("session_id", sessionId);
  var history = load("history", []);
  if (!Array.isArray(history)) history = [];

  function render(entry) {
    var bubble = element("div", "sscard-msg " + (entry.from === "user" ? "user" : "bot"), entry.text);
    messages.appendChild(bubble);
    if (entry.quick_replies && entry.quick_replies.length) {
      var row = element("div", "sscard-quick-replies");
      entry.quick_replies.forEach(function (reply) {
        var button = element("button", "sscard-quick-reply", reply.title);
        button.type = "button";
        button.addEventListener("click", function () {
          send(reply.title, reply.payload);
        });
        row.appendChild(button);
      });
      messages.appendChild(row);
    }
    messages.scrollTop = messages.scrollHeight;
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    save("history", history);
    render(entry);
  }

  // Quick replies answer the latest message: once the user says anything, they go.
  function dropQuickReplies() {
    var rows = messages.querySelectorAll(".sscard-quick-replies");
    for (var i = 0; i < rows.length; i++) rows[i].remove();
    history.forEach(function (entry) {
      delete entry.quick_replies;
    });
  }

  history.forEach(render);
  setOpen(load("open", script.getAttribute("data-open") === "true"));

  // Messages typed before the session is confirmed (or while offline) wait here.
  var outbox = [];
  var ready = false;
  var socket = null;

  function send(shown, message) {
    if (!shown.trim()) return;
    dropQuickReplies();
    remember({ from: "user", text: shown });
    outbox.push(message === undefined ? shown : message);
    flush();
  }

  function flush() {
    while (ready && socket && outbox.length) {
      socket.emit("user_uttered", { message: outbox.shift(), session_id: sessionId });
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
    input.focus();
  });

  restart.addEventListener("click", function () {
    history = [];
    forget("history");
    messages.textContent = "";
    outbox = [];
    sessionId = newSessionId();
    save("session_id", sessionId);
    if (socket && socket.connected) {
      ready = false;
      socket.emit("session_request", { session_id: sessionId });
    }
    input.focus();
  });

  function onBotMessage(data) {
    if (!data || typeof data.text !== "string") return; // images and custom payloads: not used
    var quickReplies = (Array.isArray(data.quick_replies) ? data.quick_replies : [])
      .filter(function (reply) {
        return reply && typeof reply.title === "string" && typeof reply.payload === "string";
      })
      .map(function (reply) {
        return { title: reply.title, payload: reply.payload };
      });
    remember({ from: "bot", text: data.text, quick_replies: quickReplies });
  }

  function connect(io) {
    socket = io(rasaUrl, { transports: ["websocket"] });
    socket.on("connect", function () {
      ready = false;
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function (confirmed) {
      var id = confirmed && typeof confirmed === "object" ? confirmed.session_id : confirmed;
      if (id !== sessionId) return; // an answer to a request made before "New conversation"
      ready = true;
      showNotice("");
      flush();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function (reason) {
      ready = false;
      showNotice(t.reconnecting);
      // socket.io reconnects by itself, except after the server closed the socket.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", function () {
      showNotice(t.reconnecting);
    });
  }

  // Load socket.io-client from the widget's origin without taking over a page's own `io`.
  var previousIo = window.io;
  var loader = element("script");
  loader.src = new URL("vendor/socket.io.min.js", widgetUrl).href;
  loader.onload = function () {
    var io = window.io;
    if (previousIo === undefined) delete window.io;
    else window.io = previousIo;
    connect(io);
  };
  loader.onerror = function () {
    showNotice(t.reconnecting);
  };
  document.head.appendChild(loader);
})();
