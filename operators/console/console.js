/*
 * The agent console (channels/agent_console.py serves it behind the login). Polls the
 * state every few seconds: polling is what keeps the agent on duty. Every text from a
 * conversation is set with textContent, never as HTML.
 */
(function () {
  "use strict";

  var LABELS = {
    en: {
      title: "Agent console", onDuty: "On duty", offDuty: "Off duty — go on duty", logout: "Log out",
      open: "Office hours: open", closed: "Outside office hours", queue: "Waiting conversations",
      queueEmpty: "Nobody is waiting.", left: "Messages left for the office", leftEmpty: "No messages left.",
      conversation: "Conversation", none: "Pick a conversation on the left.", take: "Take over",
      handBack: "Hand back to the bot", reply: "Your reply", send: "Send", done: "Done",
      waiting: "waiting", taken: "with", since: "since", topic: "Topic", language: "Language",
      region: "Region", channel: "Channel", user: "User", bot: "Assistant", agent: "Staff",
      contact: "Contact", unknown: "—", problem: "That did not work: ", gone: "The conversation is no longer handed over.",
    },
    zh: {
      title: "坐席工作台", onDuty: "值班中", offDuty: "未值班 — 开始值班", logout: "退出",
      open: "服务时间内", closed: "非服务时间", queue: "等待中的对话", queueEmpty: "目前没有人在等待。",
      left: "留言", leftEmpty: "没有留言。", conversation: "对话", none: "请在左侧选择一个对话。",
      take: "接入", handBack: "交还智能助手", reply: "回复", send: "发送", done: "已处理",
      waiting: "等待中", taken: "接待人", since: "开始于", topic: "话题", language: "语言",
      region: "地区", channel: "渠道", user: "用户", bot: "智能助手", agent: "工作人员",
      contact: "联系方式", unknown: "—", problem: "操作失败：", gone: "该对话已不在人工服务中。",
    },
  };
  var lang = (navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  var t = LABELS[lang];
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  var POLL_MS = 3000;

  var state = { agent: null, on_duty: false, queue: [], contact_requests: [] };
  var selected = null;

  function $(id) { return document.getElementById(id); }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function clock(seconds) {
    return new Date(seconds * 1000).toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  $("title").textContent = t.title;
  document.title = t.title;
  $("logout").textContent = t.logout;
  $("duty").textContent = t.offDuty;
  $("queue-title").textContent = t.queue;
  $("queue-empty").textContent = t.queueEmpty;
  $("left-title").textContent = t.left;
  $("left-empty").textContent = t.leftEmpty;
  $("conversation-title").textContent = t.conversation;
  $("conversation-none").textContent = t.none;
  $("take").textContent = t.take;
  $("hand-back").textContent = t.handBack;
  $("reply-label").textContent = t.reply;
  $("send").textContent = t.send;

  function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Console"] = "1";
      options.body = JSON.stringify(body || {});
    }
    return fetch(path, options).then(function (answer) {
      if (answer.status === 401) { window.location.reload(); throw new Error("login"); }
      return answer.json().then(function (data) {
        if (!answer.ok) throw new Error(data.error === "not_handed_over" ? t.gone : (data.detail || data.error || answer.status));
        return data;
      });
    });
  }

  function showProblem(error) {
    if (error && error.message === "login") return;
    var problem = $("problem");
    problem.textContent = t.problem + (error && error.message ? error.message : error);
    problem.hidden = false;
  }

  function renderState() {
    $("agent-name").textContent = state.agent || "";
    $("office").textContent = state.office_open ? t.open : t.closed;
    var duty = $("duty");
    duty.textContent = state.on_duty ? t.onDuty : t.offDuty;
    duty.setAttribute("aria-pressed", String(!!state.on_duty));

    var queue = $("queue");
    queue.textContent = "";
    $("queue-empty").hidden = state.queue.length > 0;
    state.queue.forEach(function (entry) {
      var item = element("li");
      var button = element("button", "conversation-item");
      button.type = "button";
      button.dataset.sender = entry.sender_id;
      button.setAttribute("aria-current", String(entry.sender_id === selected));
      var status = entry.status === "taken" ? t.taken + " " + entry.agent : t.waiting;
      button.appendChild(element("span", "name", (entry.topic || t.unknown) + " · " + (entry.region || t.unknown) + " · " + (entry.language || t.unknown)));
      button.appendChild(element("span", "meta", status + " · " + t.since + " " + clock(entry.requested_at) + " · " + (entry.channel || "")));
      button.addEventListener("click", function () { select(entry.sender_id); });
      item.appendChild(button);
      queue.appendChild(item);
    });

    var left = $("left");
    left.textContent = "";
    $("left-empty").hidden = state.contact_requests.length > 0;
    state.contact_requests.forEach(function (request) {
      var item = element("li", "left-item");
      item.appendChild(element("p", "question", request.question));
      item.appendChild(element("p", "meta", t.contact + ": " + request.contact + " · " + clock(request.created_at)));
      var done = element("button", "done", t.done);
      done.type = "button";
      done.addEventListener("click", function () {
        call("POST", "api/contact_requests/" + request.id + "/done").then(refresh, showProblem);
      });
      item.appendChild(done);
      left.appendChild(item);
    });
    if (selected && !state.queue.some(function (entry) { return entry.sender_id === selected; })) {
      selected = null;
      renderConversation(null);
    }
  }

  function renderConversation(data) {
    var none = !data;
    $("conversation-none").hidden = !none;
    $("facts").hidden = none;
    $("actions").hidden = none;
    $("reply-form").hidden = none;
    var history = $("history");
    history.textContent = "";
    if (none) return;
    var facts = $("facts");
    facts.textContent = "";
    [[t.topic, data.slots.topic], [t.language, data.slots.language], [t.region, data.slots.region], [t.channel, data.entry.channel]].forEach(function (pair) {
      facts.appendChild(element("dt", "", pair[0]));
      facts.appendChild(element("dd", "", pair[1] || t.unknown));
    });
    data.history.forEach(function (line) {
      var bubble = element("div", "line " + line.speaker);
      var who = line.speaker === "user" ? t.user : line.speaker === "agent" ? t.agent + " " + (line.agent || "") : line.speaker === "bot" ? t.bot : "";
      if (who) bubble.appendChild(element("span", "speaker", who + " · " + clock(line.at)));
      bubble.appendChild(document.createTextNode(line.text));
      history.appendChild(bubble);
    });
    history.scrollTop = history.scrollHeight;
    var mine = data.entry.status === "taken" && data.entry.agent === state.agent;
    $("take").hidden = mine;
  }

  function select(sender) {
    selected = sender;
    $("problem").hidden = true;
    renderState();
    return call("GET", "api/conversations/" + encodeURIComponent(sender)).then(renderConversation, function (error) {
      selected = null;
      renderConversation(null);
      showProblem(error);
    });
  }

  function refresh() {
    return call("GET", "api/state").then(function (data) {
      state = data;
      renderState();
      if (selected) return call("GET", "api/conversations/" + encodeURIComponent(selected)).then(renderConversation, function () {});
    }, showProblem);
  }

  $("duty").addEventListener("click", function () {
    call("POST", "api/duty", { on_duty: !state.on_duty }).then(refresh, showProblem);
  });
  $("take").addEventListener("click", function () {
    if (selected) call("POST", "api/conversations/" + encodeURIComponent(selected) + "/take").then(refresh, showProblem);
  });
  $("hand-back").addEventListener("click", function () {
    if (!selected) return;
    var sender = selected;
    call("POST", "api/conversations/" + encodeURIComponent(sender) + "/hand_back").then(function () {
      selected = null;
      renderConversation(null);
      return refresh();
    }, showProblem);
  });
  $("reply-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply").value;
    if (!selected || !text.trim()) return;
    call("POST", "api/conversations/" + encodeURIComponent(selected) + "/reply", { text: text }).then(function () {
      $("reply").value = "";
      return refresh();
    }, showProblem);
  });

  refresh();
  window.setInterval(refresh, POLL_MS);
})();
