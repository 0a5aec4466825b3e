/* Renders the compiled Vega timeline (its spec is inlined in the page) with the shared
   Vega runtime. The list below the chart works without this script. */
(function () {
  "use strict";
  var container = document.getElementById("timeline");
  var specElement = container && document.getElementById(container.getAttribute("data-spec"));
  if (!container || !specElement || !window.vega) { return; }

  /* A small tooltip drawn with textContent only: no contributor text is parsed as HTML. */
  function makeTooltip() {
    var box = document.createElement("div");
    box.className = "chart-tooltip";
    box.setAttribute("role", "tooltip");
    box.id = "timeline-tooltip";
    box.hidden = true;
    document.body.appendChild(box);
    return function (view, event, item, value) {
      if (value == null || value === "" || !event) { box.hidden = true; return; }
      box.textContent = "";
      var keys = Object.keys(value);
      keys.forEach(function (key, index) {
        var line = document.createElement("span");
        line.className = index === 0 ? "tt-title" : "tt-meta";
        line.textContent = index === 0 ? String(value[key]) : key + ": " + String(value[key]);
        box.appendChild(line);
      });
      box.hidden = false;
      var x = event.pageX + 14, y = event.pageY + 14;
      var maxX = window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8;
      box.style.left = Math.max(window.scrollX + 8, Math.min(x, maxX)) + "px";
      box.style.top = y + "px";
    };
  }

  var spec = JSON.parse(specElement.textContent);
  var view = new window.vega.View(window.vega.parse(spec), {
    renderer: "svg",
    container: container,
    hover: true
  });
  view.tooltip(makeTooltip());
  view.runAsync().then(function () {
    container.setAttribute("data-ready", "true");
  });
  window.timelineView = view;
})();
