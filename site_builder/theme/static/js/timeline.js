/* The home page timeline: renders the two compiled Vega views (their specs are inlined in
   the page) with the shared Vega runtime and owns the chart's window.

   - The page scrolls over the chart. Zooming is Ctrl/⌘ + wheel (a one-line hint says so when
     a reader wheels without it), pinch, the zoom buttons, the period buttons and the
     overview's brush; dragging (mouse or one finger sideways) pans. The charts never listen
     to the wheel themselves: the main view's window is two signals, ws and we.
   - Keyboard: the chart's events are one tab stop; arrow keys move between them in date
     order (the window follows), Enter opens the event.
   - The category filter is one state driven by the legend (the lane names), the checkboxes
     and the URL, shown in the chart and the list.
   - A large site's chart shows counts per month until the reader zooms in; then it fetches
     and draws the events themselves.
   Without this script the page shows the still picture and lists every event. Every word it
   shows comes translated from the page (#timeline-messages, the buttons, the chart specs). */
(function () {
  "use strict";
  var vega = window.vega;
  var mainEl = document.getElementById("timeline");
  var overviewEl = document.getElementById("timeline-overview");
  if (!vega || !mainEl || !overviewEl) { return; }

  var DAY = 86400000, MIN_SPAN = 14 * DAY, STEP = 1.6;
  function days(text) { return text.split(",").map(function (d) { return Date.parse(d + "T00:00:00Z"); }); }
  var defaultWindow = days(mainEl.getAttribute("data-window"));
  var limits = days(mainEl.getAttribute("data-limits"));
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var filter = document.getElementById("category-filter");
  var boxes = Array.prototype.slice.call(filter.querySelectorAll("input[type=checkbox]"));
  var keys = boxes.map(function (box) { return box.value; });
  var labelOf = {}, keyOf = {};
  boxes.forEach(function (box) { labelOf[box.value] = box.getAttribute("data-label"); keyOf[box.getAttribute("data-label")] = box.value; });
  var status = document.getElementById("filter-status");
  var controls = document.getElementById("timeline-controls");
  var hint = document.getElementById("timeline-hint");
  var messages = JSON.parse(document.getElementById("timeline-messages").textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll(".all-events .event-item"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".all-events .year-group"));
  var main = null, overview = null;
  var selected = keys.slice();
  var shown = defaultWindow.slice();

  /* Tooltip built with textContent only: contributor text is never parsed as HTML. */
  function makeTooltip() {
    var box = document.createElement("div");
    box.className = "chart-tooltip";
    box.id = "timeline-tooltip";
    box.setAttribute("role", "tooltip");
    box.hidden = true;
    document.body.appendChild(box);
    return function (view, event, item, value) {
      if (value == null || value === "" || !event) { box.hidden = true; return; }
      box.textContent = "";
      Object.keys(value).forEach(function (key, index) {
        var line = document.createElement("span");
        line.className = index === 0 ? "tt-title" : "tt-meta";
        line.textContent = index === 0 ? String(value[key]) : messages.field.replace("{name}", key).replace("{value}", String(value[key]));
        box.appendChild(line);
      });
      box.hidden = false;
      var maxX = window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8;
      box.style.left = Math.max(window.scrollX + 8, Math.min(event.pageX + 14, maxX)) + "px";
      box.style.top = (event.pageY + 16) + "px";
    };
  }

  function parseSpec(el) {
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    spec.data.forEach(function (entry) { if (el === mainEl && entry.name === "events") { keyRows = JSON.stringify(entry.values || []); } });
    return vega.parse(spec, null, { ast: true });  // with the ASTs the interpreter reads (see makeView)
  }

  /* Inside an embed, a click on an event opens its page in the top window, not in the frame. */
  var embedded = mainEl.getAttribute("data-embedded") === "true";
  var base = embedded ? mainEl.getAttribute("data-base") : window.location.href;

  /* Expressions run in Vega's interpreter, never through `new Function`: the pages' Content
     Security Policy has no 'unsafe-eval'. */
  function makeView(runtime, el) {
    var options = { renderer: "svg", container: el, hover: true, expr: vega.expressionInterpreter };
    if (embedded) { options.loader = vega.loader({ baseURL: base, target: "_top" }); }
    return new vega.View(runtime, options);
  }

  /* ---- Category filter: one state, three controls (legend, checkboxes, URL), two outputs. */
  function readUrl() {
    var wanted = new URLSearchParams(window.location.search).get("category") || mainEl.getAttribute("data-categories");
    if (!wanted) { return keys.slice(); }
    var chosen = wanted.split(",").filter(function (key) { return keys.indexOf(key) >= 0; });
    return chosen.length ? chosen : keys.slice();
  }

  function writeUrl() {
    var params = new URLSearchParams(window.location.search);
    if (selected.length === keys.length) { params.delete("category"); } else { params.set("category", selected.join(",")); }
    var query = params.toString().replace(/%2C/g, ",");
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(null, "", url);
    }
  }

  function showList() {
    var visible = 0;
    items.forEach(function (item) {
      var on = selected.indexOf(item.getAttribute("data-category")) >= 0;
      item.hidden = !on;
      if (on) { visible += 1; }
    });
    groups.forEach(function (group) { group.hidden = !group.querySelector(".event-item:not([hidden])"); });
    if (!status || !items.length) { return; }  // a large site lists its events on pages by year
    status.textContent = selected.length === keys.length ? "" : messages.showing
      .replace("{shown}", new Intl.NumberFormat(document.documentElement.lang).format(visible))
      .replace("{categories}", selected.map(function (key) { return labelOf[key]; }).join(", "));
  }

  function shownLabels() {
    return selected.map(function (key) { return labelOf[key]; });
  }

  function select(chosen) {
    selected = keys.filter(function (key) { return chosen.indexOf(key) >= 0; });
    if (!selected.length) { selected = keys.slice(); }
    boxes.forEach(function (box) { box.checked = selected.indexOf(box.value) >= 0; });
    [main, overview].forEach(function (view) { if (view) { view.signal("shown", shownLabels()).runAsync().then(marksReady); } });
    if (main) { updateDetail(shown); }
    showList();
    writeUrl();
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      select(boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
    });
  });
  document.getElementById("filter-reset").addEventListener("click", function () { select(keys); });

  /* Legend (the lane names): a click shows only that category, a second click shows all
     again; shift-click adds or removes one category. */
  function pickFromLegend(event, item) {
    if (!item || !item.mark || item.mark.name !== "lane_labels_marks") { return; }
    var key = keyOf[item.datum.label];
    if (event.shiftKey) {
      var on = selected.indexOf(key) >= 0;
      select(on ? selected.filter(function (k) { return k !== key; }) : selected.concat([key]));
    } else if (selected.length === 1 && selected[0] === key) {
      select(keys);
    } else {
      select([key]);
    }
  }

  /* ---- The window: one state, set by gestures, buttons and the brush; drawn by both views. */
  function same(a, b) {
    return a && b && Math.abs(+a[0] - +b[0]) < DAY / 2 && Math.abs(+a[1] - +b[1]) < DAY / 2;
  }

  function clamp(range) {
    var span = Math.min(Math.max(range[1] - range[0], MIN_SPAN), limits[1] - limits[0]);
    var start = Math.min(Math.max(range[0], limits[0]), limits[1] - span);
    return [start, start + span];
  }

  function draw(range) {
    shown = range;
    main.signal("ws", range[0]).signal("we", range[1]).runAsync().then(marksReady);
    if (overview) {
      var x = overview.scale("x");
      echoing = true;  // the brush reports the window back, rounded to its pixels: not a reader's move
      overview.signal("brush_x", [Math.max(0, x(range[0])), Math.min(overview.width(), x(range[1]))]).runAsync()
        .then(function () { echoing = false; }, function () { echoing = false; });
    }
    controls.querySelectorAll("[data-start]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(same(days(button.getAttribute("data-start") + "," + button.getAttribute("data-end")), range)));
    });
    controls.querySelector("[data-zoom=reset]").disabled = same(range, defaultWindow);
    updateDetail(range);
  }

  var motion = 0;
  function setWindow(range, animate) {
    var target = clamp(range), from = shown.slice();
    window.cancelAnimationFrame(motion);
    if (!animate || reduceMotion) { draw(target); return; }
    var begun = null;
    function frame(now) {
      begun = begun === null ? now : begun;
      var t = Math.min(1, (now - begun) / 250), ease = t * (2 - t);
      draw([from[0] + (target[0] - from[0]) * ease, from[1] + (target[1] - from[1]) * ease]);
      if (t < 1) { motion = window.requestAnimationFrame(frame); }
    }
    motion = window.requestAnimationFrame(frame);
  }

  function timeWidth() { return main.width() - main.signal("strip"); }

  /* The time under a page x coordinate, and how far it sits across the window (0 to 1). */
  function at(clientX) {
    var left = mainEl.querySelector("svg").getBoundingClientRect().left + main.origin()[0];
    var share = Math.min(1, Math.max(0, (clientX - left) / timeWidth()));
    return { share: share, time: shown[0] + share * (shown[1] - shown[0]) };
  }

  function zoomAround(clientX, factor) {
    var point = at(clientX), span = (shown[1] - shown[0]) * factor;
    setWindow([point.time - point.share * span, point.time - point.share * span + span], false);
  }

  function zoomBy(factor) {
    var middle = (shown[0] + shown[1]) / 2, span = (shown[1] - shown[0]) * factor;
    setWindow([middle - span / 2, middle + span / 2], true);
  }

  var hintTimer = 0;
  mainEl.addEventListener("wheel", function (event) {
    if (!main) { return; }
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      var delta = event.deltaY * (event.deltaMode === 1 ? 16 : 1);
      zoomAround(event.clientX, Math.exp(delta * 0.002));
    } else {
      hint.hidden = false;
      window.clearTimeout(hintTimer);
      hintTimer = window.setTimeout(function () { hint.hidden = true; }, 2500);
    }
  }, { passive: false });

  /* Drag to pan (mouse, pen, or one finger sideways: vertical swipes scroll the page, see
     touch-action in the CSS); two fingers pinch to zoom. A drag never opens an event. */
  var pointers = {}, gesture = null, dragged = false;
  function spread() {
    var xs = Object.keys(pointers).map(function (id) { return pointers[id]; });
    return { middle: xs.reduce(function (a, b) { return a + b; }, 0) / xs.length, width: xs.length > 1 ? Math.abs(xs[0] - xs[1]) : 0, count: xs.length };
  }
  function begin() {
    var now = spread();
    gesture = { window: shown.slice(), middle: now.middle, width: now.width, count: now.count, anchor: at(now.middle) };
  }
  function move(event) {
    if (!(event.pointerId in pointers)) { return; }
    pointers[event.pointerId] = event.clientX;
    var now = spread(), span = gesture.window[1] - gesture.window[0];
    if (now.count > 1 && gesture.width > 0 && now.width > 0) {
      span = span * gesture.width / now.width;
      var start = gesture.anchor.time - at(now.middle).share * span;
      dragged = true;
      setWindow([start, start + span], false);
    } else if (Math.abs(now.middle - gesture.middle) > 4 || dragged) {
      dragged = true;
      var shift = -(now.middle - gesture.middle) / timeWidth() * span;
      setWindow([gesture.window[0] + shift, gesture.window[1] + shift], false);
    }
  }
  function end(event) {
    delete pointers[event.pointerId];
    if (Object.keys(pointers).length) { begin(); return; }
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", end);
    window.removeEventListener("pointercancel", end);
  }
  mainEl.addEventListener("pointerdown", function (event) {
    if (!main || !overview) { return; }
    if (event.pointerType === "mouse" && event.button !== 0) { return; }
    if (!Object.keys(pointers).length) {
      dragged = false;
      window.addEventListener("pointermove", move);
      window.addEventListener("pointerup", end);
      window.addEventListener("pointercancel", end);
    }
    pointers[event.pointerId] = event.clientX;
    begin();
  });
  mainEl.addEventListener("click", function (event) {
    if (dragged) { event.stopPropagation(); event.preventDefault(); dragged = false; }
  }, true);

  controls.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var zoom = button.getAttribute("data-zoom");
    if (zoom === "in") { zoomBy(1 / STEP); }
    else if (zoom === "out") { zoomBy(STEP); }
    else if (zoom === "reset") { setWindow(defaultWindow, true); }
    else { setWindow(days(button.getAttribute("data-start") + "," + button.getAttribute("data-end")), true); }
  });

  var echoing = false;
  function followBrush(name, value) {
    if (echoing) { return; }
    var range = value && value.start ? [+value.start[0], +value.start[1]] : defaultWindow;
    if (!same(range, shown)) { setWindow(range, false); }
  }

  /* ---- A large site (see the engine's density module): the page carries its key events and
     counts per month; when the window holds few enough events to draw one by one, the rows
     of its years are fetched (timeline/<year>.json) and drawn instead of those years' counts. */
  var detailDir = mainEl.getAttribute("data-detail");
  var detailYears = detailDir ? mainEl.getAttribute("data-detail-years").split(",").map(Number) : [];
  var detailLimit = Number(mainEl.getAttribute("data-detail-limit") || 0);
  var keyRows = "[]", yearRows = {}, drawnYears = "";
  function loadYear(year) {
    if (!yearRows[year]) {
      yearRows[year] = window.fetch(new URL(detailDir + year + ".json", window.location.href).href)
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); });
      yearRows[year].catch(function () { delete yearRows[year]; });
    }
    return yearRows[year];
  }
  function counted(range) {
    var labels = shownLabels(), count = 0;
    main.data("cells").forEach(function (cell) {
      if (+new Date(cell.start) < range[1] && +new Date(cell.end) > range[0] && labels.indexOf(cell.category) >= 0) { count += cell.count; }
    });
    return count;
  }
  function updateDetail(range) {
    if (!detailDir || !main) { return; }
    var first = new Date(range[0]).getUTCFullYear(), last = new Date(range[1]).getUTCFullYear();
    var years = counted(range) > detailLimit ? [] : detailYears.filter(function (year) { return year >= first && year <= last; });
    var wanted = years.join(",");
    if (wanted === drawnYears) { return; }
    drawnYears = wanted;
    Promise.all(years.map(loadYear)).then(function (texts) {
      if (drawnYears !== wanted) { return; }  // the reader has moved on
      var rows = JSON.parse(keyRows);  // fresh objects each time: Vega keeps what it is given
      texts.forEach(function (text) { rows = rows.concat(JSON.parse(text)); });
      main.change("events", vega.changeset().remove(function () { return true; }).insert(rows)).signal("detail_years", years).runAsync().then(marksReady);
    }, function () { drawnYears = ""; });
  }

  /* ---- Keyboard: the events are one tab stop (a roving tabindex over the marks). */
  var active = null;  // the slug of the event that holds the tab stop
  function eventMarks() {
    var found = [];
    (function walk(node) {
      if (node.marktype === "group") { node.items.forEach(function (group) { (group.items || []).forEach(walk); }); }
      if (node.name === "event_marks_marks" || node.name === "event_spans_marks") { found = found.concat(node.items); }
    })(main.scenegraph().root);
    return found.filter(function (item) { return item._svg && selected.indexOf(keyOf[item.datum.category]) >= 0; })
      .sort(function (a, b) { return (+a.datum.start - +b.datum.start) || (a.datum.y - b.datum.y); });
  }
  function inView(item) {
    var x = main.scale("x")(item.datum.start), width = timeWidth();
    return (x >= 0 && x <= width) || (main.signal("strip") > 0 && x > width + 14 && x <= main.width());
  }
  function marksReady() {
    var marks = eventMarks();
    var holder = marks.filter(function (item) { return item.datum.slug === active; })[0] || marks.filter(inView)[0] || marks[0];
    marks.forEach(function (item) {
      item._svg.setAttribute("tabindex", item === holder ? "0" : "-1");
      item._svg.setAttribute("role", "link");
      item._svg.setAttribute("data-slug", item.datum.slug);
    });
  }
  function focusMark(item) {
    active = item.datum.slug;
    var show = function () { marksReady(); item._svg.focus(); };
    if (inView(item)) { show(); return; }
    var span = shown[1] - shown[0], t = +item.datum.start;
    draw(clamp([t - span / 2, t + span / 2]));
    main.runAsync().then(show);
  }
  mainEl.addEventListener("keydown", function (event) {
    var slug = event.target.getAttribute && event.target.getAttribute("data-slug");
    if (!slug) { return; }
    var marks = eventMarks(), index = marks.map(function (item) { return item.datum.slug; }).indexOf(slug);
    var next = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: marks.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      focusMark(marks[Math.max(0, Math.min(marks.length - 1, next))]);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      var url = new URL(marks[index].datum.href, base).href;
      if (embedded) { window.open(url, "_top"); } else { window.location.href = url; }
    }
  });
  mainEl.addEventListener("focusin", function (event) {
    var slug = event.target.getAttribute && event.target.getAttribute("data-slug");
    if (slug) { active = slug; }
  });

  /* ---- Start-up in short tasks (parse, build, draw; then the overview), so that the
     browser can answer the reader between them. */
  function later(step) {
    return function (value) {
      return new Promise(function (resolve) { window.setTimeout(function () { resolve(step(value)); }, 0); });
    };
  }

  select(readUrl());
  filter.hidden = false;
  if (window.matchMedia("(min-width: 40rem)").matches || selected.length < keys.length) { filter.open = true; }
  window.timeline = { main: null, overview: null, select: select, setWindow: setWindow };

  Promise.resolve()
    .then(later(function () { return parseSpec(mainEl); }))
    .then(later(function (runtime) {
      main = makeView(runtime, mainEl);
      main.tooltip(makeTooltip());
      main.signal("shown", shownLabels());
      main.addEventListener("click", pickFromLegend);
      window.timeline.main = main;
    }))
    .then(later(function () { return main.runAsync(); }))
    .then(later(function () { return parseSpec(overviewEl); }))
    .then(later(function (runtime) {
      overview = makeView(runtime, overviewEl);
      overview.signal("shown", shownLabels());
      overview.addSignalListener("brush", followBrush);
      window.timeline.overview = overview;
      return overview.runAsync();
    }))
    .then(function () {
      controls.hidden = false;
      draw(shown);
      return main.runAsync();
    })
    .then(function () { marksReady(); mainEl.setAttribute("data-ready", "true"); });
})();
