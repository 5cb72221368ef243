// The candidate's test player: one item per screen, every change saved on its own.
//
// Each change is numbered (the page's epoch from the server, then a counter) and put in a
// queue that is kept in localStorage too (keyed by attempt and epoch), and sent one save at
// a time, in order, to /test/save. A save that fails for want of a connection stays in the
// queue and is sent again when the connection is back; a page that finds the queue of an
// earlier page of the same attempt (a tab that crashed) sends its answers again under its own
// epoch. The server decides what is newest, what is late and when time is up.
(function () {
  "use strict";

  var root = document.getElementById("player");
  if (!root) {
    return;
  }
  var tokenMeta = document.querySelector('meta[name="examkit-save"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var epoch = parseInt(root.getAttribute("data-epoch"), 10);
  var attempt = root.getAttribute("data-attempt");
  var prefix = "examkit-queue:" + attempt + ":";
  var storeKey = prefix + epoch;
  var words = {
    saving: root.getAttribute("data-msg-saving"),
    saved: root.getAttribute("data-msg-saved"),
    timeUp: root.getAttribute("data-msg-time-up"),
    waiting: root.getAttribute("data-msg-waiting"),
  };
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.screen"));
  var status = document.getElementById("save-status");
  var offline = document.getElementById("connection");
  var superseded = document.getElementById("superseded");
  var paused = document.getElementById("paused");
  var timeUp = document.getElementById("time-up");
  var timer = document.getElementById("time-left");
  var handIn = document.getElementById("hand-in-form");

  var counter = 0;
  var queue = [];
  var sending = false;
  var stopped = false;
  var over = false;
  var retryTimer = null;
  var handingIn = false;
  var dirty = false;
  var current = 0;
  var endAt = null;
  var debounced = {};

  // -- storage -------------------------------------------------------------------------------

  function persist() {
    try {
      if (queue.length) {
        localStorage.setItem(storeKey, JSON.stringify({ counter: counter, queue: queue }));
      } else {
        localStorage.removeItem(storeKey);
      }
    } catch (error) {
      // storage full or refused: the queue in the page still holds the answers
    }
  }

  function leftovers() {
    var found = [];
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0 && key !== storeKey) {
          var kept = JSON.parse(localStorage.getItem(key) || "{}");
          if (kept && kept.queue) {
            found.push({ epoch: parseInt(key.slice(prefix.length), 10), queue: kept.queue });
          }
          localStorage.removeItem(key);
        }
      }
    } catch (error) {
      return [];
    }
    found.sort(function (a, b) { return a.epoch - b.epoch; });
    return found;
  }

  // -- the answers in the page ---------------------------------------------------------------

  function sectionOf(item) {
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getAttribute("data-item") === item) {
        return sections[i];
      }
    }
    return null;
  }

  function valueOf(section) {
    var kind = section.getAttribute("data-kind");
    if (kind === "choice" || kind === "multiple") {
      var chosen = [];
      section.querySelectorAll("input:checked").forEach(function (input) {
        chosen.push(input.value);
      });
      chosen.sort();
      return { chosen: chosen };
    }
    var field = section.querySelector("input, textarea");
    return kind === "numeric" ? { value: field.value } : { text: field.value };
  }

  function show(section, value) {
    var kind = section.getAttribute("data-kind");
    if (kind === "choice" || kind === "multiple") {
      var chosen = (value && value.chosen) || [];
      section.querySelectorAll("input").forEach(function (input) {
        input.checked = chosen.indexOf(input.value) >= 0;
      });
    } else {
      var field = section.querySelector("input, textarea");
      field.value = (value && (kind === "numeric" ? value.value : value.text)) || "";
    }
  }

  function answered(value) {
    if (!value) {
      return false;
    }
    var inner = value.chosen || value.text || value.value;
    return Array.isArray(inner) ? inner.length > 0 : !!(inner && String(inner).trim());
  }

  function mark(item, value) {
    var done = answered(value);
    root.querySelectorAll('[data-mark="' + CSS.escape(item) + '"]').forEach(function (link) {
      link.classList.toggle("answered", done);
      var note = link.querySelector(".answered-note");
      if (note) {
        note.hidden = !done;
      }
    });
    var open = root.querySelector('[data-unanswered="' + CSS.escape(item) + '"]');
    if (open) {
      open.hidden = done;
    }
    var left = root.querySelectorAll("[data-unanswered]:not([hidden])").length;
    document.getElementById("unanswered-block").hidden = left === 0;
    document.getElementById("all-answered").hidden = left !== 0;
  }

  // -- the queue -----------------------------------------------------------------------------

  function say(text) {
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  function enqueue(item, value) {
    if (stopped || over) {
      return;
    }
    var from = sending ? 1 : 0;
    queue = queue.slice(0, from).concat(
      queue.slice(from).filter(function (entry) { return entry.item !== item; })
    );
    counter += 1;
    dirty = true;
    queue.push({ counter: counter, item: item, value: value });
    persist();
    mark(item, value);
    say(words.saving);
    pump();
  }

  function connection(lost) {
    offline.hidden = !lost;
  }

  function later(delay) {
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        pump();
      }, delay);
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-Examkit-Save": token },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(
        function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: {} }; }
      );
    });
  }

  function finish() {
    // Once: a save's answer and the heartbeat's may both say "over", and a second
    // navigation would abort the first.
    if (over) {
      return;
    }
    over = true;
    queue = [];
    persist();
    window.location.replace("/test/done");
  }

  function pump() {
    if (sending || stopped || over || !queue.length) {
      if (!queue.length && !sending && !stopped) {
        if (dirty) {
          dirty = false;
          say(words.saved);
        }
        afterDrain();
      }
      return;
    }
    sending = true;
    var entry = queue[0];
    post("/test/save", {
      epoch: epoch,
      counter: entry.counter,
      item: entry.item,
      value: entry.value,
    }).then(function (answer) {
      sending = false;
      var data = answer.data;
      if (answer.status === 200) {
        connection(false);
        queue.shift();
        persist();
        seconds(data.seconds_left);
        if (data.superseded) {
          stop();
          return;
        }
        pump();
      } else if (answer.status === 409) {
        connection(false);
        if (data.over) {
          finish();
        } else {
          paused.hidden = false;
          later(5000);
        }
      } else if (answer.status === 401) {
        window.location.assign("/test");
      } else if (answer.status === 400) {
        queue.shift();
        persist();
        pump();
      } else {
        connection(true);
        later(2000);
      }
    }, function () {
      sending = false;
      connection(true);
      later(2000);
    });
  }

  function afterDrain() {
    if (handingIn) {
      handingIn = false;
      handIn.submit();
    } else if (endAt !== null && Date.now() >= endAt) {
      finish();
    }
  }

  function disable() {
    sections.forEach(function (section) {
      section.querySelectorAll("input, textarea, .answers button").forEach(function (field) {
        field.disabled = true;
      });
    });
  }

  function stop() {
    stopped = true;
    queue = [];
    persist();
    say("");
    disable();
    superseded.hidden = false;
    superseded.focus();
  }

  // -- time and heartbeat --------------------------------------------------------------------

  function seconds(left) {
    if (typeof left !== "number") {
      return;
    }
    var at = Date.now() + left * 1000;
    if (endAt === null || Math.abs(at - endAt) > 1500) {
      endAt = at;
    }
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    if (endAt === null) {
      return;
    }
    var left = Math.max(0, Math.round((endAt - Date.now()) / 1000));
    timer.textContent =
      Math.floor(left / 3600) + ":" + two(Math.floor(left / 60) % 60) + ":" + two(left % 60);
    if (left === 0 && !over && !stopped) {
      if (timeUp.hidden) {
        timeUp.hidden = false;
        disable();
      }
      if (!queue.length && !sending) {
        finish();
      }
    }
  }

  function beat() {
    if (stopped || over) {
      return;
    }
    post("/test/contact", { epoch: epoch }).then(function (answer) {
      if (over || stopped) {
        return;
      }
      if (answer.status === 401) {
        window.location.assign("/test");
        return;
      }
      if (answer.status !== 200) {
        connection(true);
        return;
      }
      var data = answer.data;
      seconds(data.seconds_left);
      if (data.over) {
        finish();
        return;
      }
      paused.hidden = !data.paused;
      if (!queue.length) {
        connection(false);
      }
      if (!data.paused) {
        pump();
      }
    }, function () {
      connection(true);
    });
  }

  // -- screens -------------------------------------------------------------------------------

  function go(index, focus) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    sections[current].hidden = true;
    current = index;
    sections[current].hidden = false;
    root.querySelectorAll("[data-goto]").forEach(function (link) {
      if (link.closest("nav")) {
        if (parseInt(link.getAttribute("data-goto"), 10) === current) {
          link.setAttribute("aria-current", "step");
        } else {
          link.removeAttribute("aria-current");
        }
      }
    });
    if (window.speechSynthesis) {
      window.speechSynthesis.cancel();
    }
    if (focus) {
      sections[current].querySelector("h2").focus();
    }
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-goto], [data-step], .read-aloud");
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-goto")) {
      event.preventDefault();
      go(parseInt(target.getAttribute("data-goto"), 10), true);
    } else if (target.hasAttribute("data-step")) {
      go(current + parseInt(target.getAttribute("data-step"), 10), true);
    } else {
      readAloud(target.closest("section"));
    }
  });

  function readAloud(section) {
    var speech = window.speechSynthesis;
    if (!speech) {
      return;
    }
    speech.cancel();
    var parts = [];
    section.querySelectorAll("h2, .prompt, label").forEach(function (part) {
      parts.push(part.textContent.trim());
    });
    var utterance = new SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
    speech.speak(utterance);
  }

  // -- answering -----------------------------------------------------------------------------

  sections.forEach(function (section) {
    var item = section.getAttribute("data-item");
    if (!item) {
      return;
    }
    var kind = section.getAttribute("data-kind");
    if (kind === "choice" || kind === "multiple") {
      section.addEventListener("change", function () {
        enqueue(item, valueOf(section));
      });
      return;
    }
    var field = section.querySelector("input, textarea");
    var now = function () {
      if (debounced[item]) {
        window.clearTimeout(debounced[item]);
        delete debounced[item];
        enqueue(item, valueOf(section));
      }
    };
    field.addEventListener("input", function () {
      if (debounced[item]) {
        window.clearTimeout(debounced[item]);
      }
      say(words.saving);
      debounced[item] = window.setTimeout(now, 700);
    });
    field.addEventListener("change", now);
    field.addEventListener("blur", now);
  });

  function typedNow() {
    Object.keys(debounced).forEach(function (item) {
      window.clearTimeout(debounced[item]);
      delete debounced[item];
      enqueue(item, valueOf(sectionOf(item)));
    });
  }

  // text typed just before the tab closes is queued (and so kept in localStorage) at once
  window.addEventListener("pagehide", typedNow);

  if (handIn) {
    handIn.addEventListener("submit", function (event) {
      typedNow();
      if (queue.length || sending) {
        event.preventDefault();
        handingIn = true;
        say(words.waiting);
        pump();
      } else {
        try {
          localStorage.removeItem(storeKey);
        } catch (error) {
          // nothing kept
        }
      }
    });
  }

  window.addEventListener("online", function () {
    pump();
    beat();
  });
  window.addEventListener("offline", function () {
    connection(true);
  });

  // -- start ---------------------------------------------------------------------------------

  if (window.speechSynthesis) {
    root.querySelectorAll(".read-aloud").forEach(function (button) {
      button.hidden = false;
    });
  }
  var initial = root.getAttribute("data-seconds");
  if (initial !== "") {
    seconds(parseInt(initial, 10));
  }
  leftovers().forEach(function (kept) {
    kept.queue.forEach(function (entry) {
      var section = sectionOf(entry.item);
      if (section) {
        show(section, entry.value);
        enqueue(entry.item, entry.value);
      }
    });
  });
  if (!navigator.onLine) {
    connection(true);
  }
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(beat, parseInt(root.getAttribute("data-beat"), 10) || 5000);
})();
