/*! tandem-charts 1.0 — a small SVG bar-chart renderer shipped with Tandem (Apache-2.0, see LICENSE-tandem-charts.txt).
 *
 * Draws a grouped bar chart for every <table data-chart="col1,col2"> into the element named by its
 * data-chart-target, from the table's own cells: the chart and its accessible table show the same numbers.
 * A cell that is not a number (a suppressed group reads "fewer than 5") draws no bar and says so.
 * No network, no dependencies.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOURS = ["#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#6b46c1"];

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function number(text) {
    var value = parseFloat(text);
    return /^-?[0-9.]+$/.test(text.trim()) && !isNaN(value) ? value : null;
  }

  function draw(table) {
    var target = document.getElementById(table.getAttribute("data-chart-target"));
    if (!target) { return; }
    var headings = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var keys = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.getAttribute("data-key"); });
    var series = table.getAttribute("data-chart").split(",").map(function (k) { return keys.indexOf(k); })
      .filter(function (i) { return i >= 0; });
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.map.call(row.cells, function (c) { return c.textContent.trim(); });
    });
    var max = 0;
    rows.forEach(function (row) { series.forEach(function (i) { var v = number(row[i]); if (v !== null && v > max) { max = v; } }); });
    var barH = 14, gap = 10, labelW = 170, width = 640, plotW = width - labelW - 90;
    var groupH = series.length * barH + gap;
    var height = rows.length * groupH + 40;
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
      "aria-label": table.caption ? table.caption.textContent.trim() : "chart", "class": "tandem-chart" });
    rows.forEach(function (row, r) {
      var y0 = r * groupH + 4;
      svg.appendChild(el("text", { x: labelW - 6, y: y0 + groupH / 2, "text-anchor": "end", "font-size": 12,
        "dominant-baseline": "middle" }, row[0]));
      series.forEach(function (i, s) {
        var value = number(row[i]), y = y0 + s * barH;
        if (value === null) {
          svg.appendChild(el("text", { x: labelW + 4, y: y + barH - 3, "font-size": 11, fill: "#555" }, row[i] || "—"));
          return;
        }
        var w = max > 0 ? Math.max(1, value / max * plotW) : 1;
        svg.appendChild(el("rect", { x: labelW, y: y, width: w, height: barH - 2, fill: COLOURS[s % COLOURS.length] },
          undefined));
        svg.appendChild(el("text", { x: labelW + w + 4, y: y + barH - 3, "font-size": 11 }, row[i]));
      });
    });
    var legendY = rows.length * groupH + 20;
    series.forEach(function (i, s) {
      var x = labelW + s * 110;
      svg.appendChild(el("rect", { x: x, y: legendY, width: 10, height: 10, fill: COLOURS[s % COLOURS.length] }));
      svg.appendChild(el("text", { x: x + 14, y: legendY + 9, "font-size": 11 }, headings[i]));
    });
    target.innerHTML = "";
    target.appendChild(svg);
    target.setAttribute("data-drawn", "true");
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-chart]"), draw);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); } else { drawAll(); }
  window.TandemCharts = { draw: draw, drawAll: drawAll };
})();
