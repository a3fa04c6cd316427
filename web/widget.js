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
 *
 * The office's side (operators/): every answer carries its data (`answer`: topic or
 * message, id); the widget offers 👍/👎 under each answer and a 1-5 rating with an
 * optional comment when the conversation ends (a goodbye, or "New conversation"), sent
 * as socket.io `feedback` events, which are not turns of the conversation. Replies from
 * a member of staff are labelled with their name; when nobody can chat, the widget
 * offers a form to leave a question and a way to be contacted (`contact_request`).
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
      helpful: "This answer helped",
      notHelpful: "This answer did not help",
      thanks: "Thank you for your feedback.",
      staff: "staff",
      rateTitle: "How was this conversation?",
      stars: "{n} out of 5",
      comment: "Comment (optional)",
      sendRating: "Send rating",
      skip: "Skip",
      leaveMessage: "Leave a message",
      question: "Your question",
      contact: "Phone number or e-mail address",
      contactNote: "The office keeps your question and contact details only to get back to you.",
      sendMessage: "Send to the office",
      cancel: "Cancel",
      contactSent: "Thank you. Your message has been passed to the office.",
      contactInvalid: "Please write your question and a phone number or e-mail address.",
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
      helpful: "这个回答有帮助",
      notHelpful: "这个回答没有帮助",
      thanks: "感谢您的反馈！",
      staff: "工作人员",
      rateTitle: "您对本次对话满意吗？",
      stars: "{n}分（满分5分）",
      comment: "意见（选填）",
      sendRating: "提交评价",
      skip: "跳过",
      leaveMessage: "留言",
      question: "您的问题",
      contact: "手机号或电子邮箱",
      contactNote: "您的问题和联系方式仅用于工作人员回复您。",
      sendMessage: "提交留言",
      cancel: "取消",
      contactSent: "谢谢，您的留言已转交工作人员。",
      contactInvalid: "请填写问题以及手机号或电子邮箱。",
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
    var answer = entry.answer || {};
    var kind = entry.from === "user" ? "user" : answer.notice ? "bot notice" : answer.agent ? "bot agent" : "bot";
    var bubble = element("div", "sscard-msg " + kind);
    if (answer.agent && !answer.notice) {
      bubble.appendChild(element("span", "sscard-speaker", answer.agent + " · " + t.staff));
    }
    bubble.appendChild(document.createTextNode(entry.text));
    messages.appendChild(bubble);
    if (entry.from === "bot" && rateable(answer)) {
      messages.appendChild(ratingRow(entry));
    }
    if (answer.offer === "leave_message" && !entry.left_message) {
      var leave = element("button", "sscard-quick-reply sscard-leave", t.leaveMessage);
      leave.type = "button";
      leave.addEventListener("click", function () {
        leave.remove();
        showContactForm(entry);
      });
      var leaveRow = element("div", "sscard-quick-replies");
      leaveRow.appendChild(leave);
      messages.appendChild(leaveRow);
    }
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

  // The assistant's own answers, not a person's replies, notices or hand-over messages.
  function rateable(answer) {
    if (typeof answer.id !== "number" || answer.agent || answer.notice) return false;
    return !!answer.topic || (!!answer.message && answer.message.indexOf("handover_") !== 0);
  }

  // A thumb drawn as SVG (emoji need an emoji font); pointing down when `down`.
  function thumbIcon(down) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute(
      "d",
      "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"
    );
    if (down) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  // 👍/👎 under an answer: a rating of that answer, sent apart from the conversation.
  function ratingRow(entry) {
    var row = element("div", "sscard-rating");
    [
      { value: "up", label: t.helpful },
      { value: "down", label: t.notHelpful },
    ].forEach(function (choice) {
      var button = element("button", "sscard-rate sscard-rate-" + choice.value);
      button.appendChild(thumbIcon(choice.value === "down"));
      button.type = "button";
      button.title = choice.label;
      button.setAttribute("aria-label", choice.label);
      button.setAttribute("aria-pressed", String(entry.rated === choice.value));
      button.addEventListener("click", function () {
        if (entry.rated) return;
        emit("feedback", { session_id: sessionId, rating: choice.value, answer_id: entry.answer.id }, function (answer) {
          if (!answer || !answer.stored) return;
          entry.rated = choice.value;
          save("history", history);
          button.setAttribute("aria-pressed", "true");
          row.appendChild(element("span", "sscard-thanks", t.thanks));
        });
      });
      row.appendChild(button);
    });
    if (entry.rated) row.classList.add("sscard-rated");
    return row;
  }

  function emit(event, data, done) {
    if (socket && socket.connected) socket.emit(event, data, done);
  }

  // The end of a conversation: 1-5 stars and an optional comment.
  function askForRating(then) {
    if (messages.querySelector(".sscard-end-rating")) return;
    var box = element("form", "sscard-end-rating");
    box.setAttribute("aria-label", t.rateTitle);
    box.appendChild(element("p", "sscard-end-title", t.rateTitle));
    var chosen = 0;
    var starRow = element("div", "sscard-stars");
    var starButtons = [];
    for (var n = 1; n <= 5; n++) {
      (function (value) {
        var star = element("button", "sscard-star", "★");
        star.type = "button";
        star.setAttribute("aria-label", t.stars.replace("{n}", value));
        star.setAttribute("aria-pressed", "false");
        star.addEventListener("click", function () {
          chosen = value;
          starButtons.forEach(function (other, index) {
            other.setAttribute("aria-pressed", String(index < value));
          });
        });
        starButtons.push(star);
        starRow.appendChild(star);
      })(n);
    }
    box.appendChild(starRow);
    var comment = element("textarea", "sscard-comment");
    comment.maxLength = 1000;
    comment.rows = 2;
    comment.placeholder = t.comment;
    comment.setAttribute("aria-label", t.comment);
    box.appendChild(comment);
    var actions = element("div", "sscard-form-actions");
    var submit = element("button", "sscard-send", t.sendRating);
    submit.type = "submit";
    var skip = element("button", "sscard-secondary", t.skip);
    skip.type = "button";
    actions.append(submit, skip);
    box.appendChild(actions);
    function finish() {
      box.remove();
      save("rated_conversation", sessionId);
      if (then) then();
    }
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!chosen) return;
      emit("feedback", { session_id: sessionId, stars: chosen, comment: comment.value }, function () {
        finish();
        if (!then) remember({ from: "bot", text: t.thanks, answer: { notice: true } });
      });
    });
    skip.addEventListener("click", finish);
    messages.appendChild(box);
    messages.scrollTop = messages.scrollHeight;
  }

  function conversationToRate() {
    return load("rated_conversation", null) !== sessionId && history.some(function (entry) {
      return entry.from === "bot" && entry.answer && rateable(entry.answer);
    });
  }

  // A question and a way back, for the office, when nobody can chat.
  function showContactForm(entry) {
    var box = element("form", "sscard-contact");
    box.setAttribute("aria-label", t.leaveMessage);
    var question = element("textarea", "sscard-contact-question");
    question.rows = 3;
    question.maxLength = 1000;
    question.setAttribute("aria-label", t.question);
    question.placeholder = t.question;
    var contact = element("input", "sscard-contact-detail");
    contact.type = "text";
    contact.maxLength = 200;
    contact.autocomplete = "tel";
    contact.setAttribute("aria-label", t.contact);
    contact.placeholder = t.contact;
    var note = element("p", "sscard-contact-note", t.contactNote);
    var problem = element("p", "sscard-contact-problem", "");
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    var actions = element("div", "sscard-form-actions");
    var submit = element("button", "sscard-send", t.sendMessage);
    submit.type = "submit";
    var cancel = element("button", "sscard-secondary", t.cancel);
    cancel.type = "button";
    actions.append(submit, cancel);
    box.append(question, contact, note, problem, actions);
    cancel.addEventListener("click", function () {
      box.remove();
    });
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = { session_id: sessionId, question: question.value, contact: contact.value, language: lang };
      emit("contact_request", data, function (answer) {
        if (!answer || !answer.stored) {
          problem.textContent = t.contactInvalid;
          problem.hidden = false;
          return;
        }
        box.remove();
        entry.left_message = true;
        remember({ from: "bot", text: t.contactSent, answer: { notice: true } });
      });
    });
    messages.appendChild(box);
    question.focus();
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
    if (conversationToRate()) askForRating(startAgain);
    else startAgain();
  });

  function startAgain() {
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
  }

  function onBotMessage(data) {
    if (!data || typeof data.text !== "string") return; // images and custom payloads: not used
    var quickReplies = (Array.isArray(data.quick_replies) ? data.quick_replies : [])
      .filter(function (reply) {
        return reply && typeof reply.title === "string" && typeof reply.payload === "string";
      })
      .map(function (reply) {
        return { title: reply.title, payload: reply.payload };
      });
    var answer = data.answer && typeof data.answer === "object" ? data.answer : {};
    remember({
      from: "bot",
      text: data.text,
      quick_replies: quickReplies,
      answer: {
        id: typeof answer.id === "number" ? answer.id : null,
        topic: answer.topic || null,
        message: answer.message || null,
        agent: typeof answer.agent === "string" ? answer.agent : null,
        notice: !!answer.notice,
        offer: answer.offer || null,
      },
    });
    if (answer.message === "goodbye" && conversationToRate()) askForRating(null);
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
