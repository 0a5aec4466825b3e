/* The home page timeline: renders the two compiled Vega views (their specs are inlined in
   the page) with the shared Vega runtime, keeps the overview brush and the main view's zoom
   in step, and drives the category filter from the legend (the lane names), the checkboxes
   and the URL. Without this script the page still lists every event. Every word it shows
   comes translated from the page (#timeline-messages, the chart specs). */
(function () {
  "use strict";
  var vega = window.vega;
  var mainEl = document.getElementById("timeline");
  var overviewEl = document.getElementById("timeline-overview");
  if (!vega || !mainEl || !overviewEl) { return; }

  var DAY = 86400000;
  var defaultWindow = mainEl.getAttribute("data-window").split(",").map(function (d) { return Date.parse(d + "T00:00:00Z"); });
  var filter = document.getElementById("category-filter");
  var boxes = Array.prototype.slice.call(filter.querySelectorAll("input[type=checkbox]"));
  var keys = boxes.map(function (box) { return box.value; });
  var labelOf = {}, keyOf = {};
  boxes.forEach(function (box) { labelOf[box.value] = box.getAttribute("data-label"); keyOf[box.getAttribute("data-label")] = box.value; });
  var status = document.getElementById("filter-status");
  var messages = JSON.parse(document.getElementById("timeline-messages").textContent);
  var items = Array.prototype.slice.call(document.querySelectorAll(".all-events .event-item"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".all-events .year-group"));
  var main = null, overview = null;
  var selected = keys.slice();
  var shownWindow = defaultWindow;

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
    return vega.parse(JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent));
  }

  /* Inside an embed, a click on an event opens its page in the top window, not in the frame. */
  var embedded = mainEl.getAttribute("data-embedded") === "true";

  function makeView(runtime, el) {
    var options = { renderer: "svg", container: el, hover: true };
    if (embedded) { options.loader = vega.loader({ baseURL: mainEl.getAttribute("data-base"), target: "_top" }); }
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
    if (!status) { return; }
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
    [main, overview].forEach(function (view) { if (view) { view.signal("shown", shownLabels()).runAsync(); } });
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

  /* ---- Focus + context: the overview brush sets the main window; zooming moves the brush. */
  function same(a, b) {
    return a && b && Math.abs(+a[0] - +b[0]) < DAY / 2 && Math.abs(+a[1] - +b[1]) < DAY / 2;
  }

  function followZoom(name, value) {
    var range = value && value.start;
    if (!overview || !range || same(range, shownWindow)) { return; }
    shownWindow = [+range[0], +range[1]];
    var x = overview.scale("x");
    overview.signal("brush_x", [Math.max(0, x(shownWindow[0])), Math.min(overview.width(), x(shownWindow[1]))]).runAsync();
  }

  function followBrush(name, value) {
    var range = value && value.start ? [+value.start[0], +value.start[1]] : defaultWindow;
    if (same(range, shownWindow)) { return; }
    shownWindow = range;
    main.signal("zoom_start", range).runAsync();
  }

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
  window.timeline = { main: null, overview: null, select: select };

  Promise.resolve()
    .then(later(function () { return parseSpec(mainEl); }))
    .then(later(function (runtime) {
      main = makeView(runtime, mainEl);
      main.tooltip(makeTooltip());
      main.signal("shown", shownLabels());
      main.addEventListener("click", pickFromLegend);
      main.addSignalListener("zoom", followZoom);
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
    .then(function () { mainEl.setAttribute("data-ready", "true"); });
})();
