// Tocsin's incident console: counts the clocks down and, on an incident page, adds events
// to the timeline as they are recorded. The pages work without it.
"use strict";

(function () {
  function spoken(seconds) {
    var total = Math.floor(Math.abs(seconds));
    var days = Math.floor(total / 86400), hours = Math.floor(total % 86400 / 3600), minutes = Math.floor(total % 3600 / 60);
    if (days > 0) return days + " d " + hours + " h";
    if (hours > 0) return hours + " h " + minutes + " min";
    if (minutes > 0) return minutes + " min " + (total % 60) + " s";
    return total + " s";
  }

  // The server's clock at render time, against the browser's, so a skewed laptop counts right.
  function countDown() {
    var clocks = document.querySelectorAll("time.countdown");
    if (clocks.length === 0) return;
    var offset = Date.parse(clocks[0].getAttribute("data-now")) - Date.now();
    function tick() {
      var now = Date.now() + offset;
      clocks.forEach(function (clock) {
        var left = (Date.parse(clock.getAttribute("datetime")) - now) / 1000;
        clock.textContent = left >= 0 ? "in " + spoken(left) : "missed " + spoken(left) + " ago";
        clock.closest(".clock").classList.toggle("missed", left < 0);
      });
    }
    tick();
    setInterval(tick, 1000);
  }

  // Server-Sent Events: each message is the HTML of one new timeline entry, escaped by the server.
  function followTimeline() {
    var timeline = document.getElementById("timeline");
    if (!timeline || !window.EventSource) return;
    var source = new EventSource(location.pathname + "/live?after=" + timeline.getAttribute("data-last"));
    source.addEventListener("event", function (message) {
      var holder = document.createElement("template");
      holder.innerHTML = message.data;
      var item = holder.content.firstElementChild;
      if (!item || document.getElementById(item.id)) return;
      item.classList.add("fresh");
      timeline.appendChild(item);
      timeline.setAttribute("data-last", message.lastEventId);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countDown();
    followTimeline();
  });
})();
