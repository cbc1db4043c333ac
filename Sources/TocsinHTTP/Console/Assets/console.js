// Tocsin's incident console: counts the clocks down, adds events to an incident's timeline
// and incidents to the list as they are recorded, and loads a timeline's older entries in
// place. The pages work without it.
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
    // A window of older entries has no data-last: new events do not follow it.
    if (!timeline || !timeline.hasAttribute("data-last") || !window.EventSource) return;
    // A refused command's page is served at its form's address, under the incident's own.
    var incident = location.pathname.match(/^\/incidents\/\d+/);
    if (!incident) return;
    var source = new EventSource(incident[0] + "/live?after=" + timeline.getAttribute("data-last"));
    function entry(message) {
      var holder = document.createElement("template");
      holder.innerHTML = message.data;
      var item = holder.content.firstElementChild;
      if (!item || document.getElementById(item.id)) return null;
      timeline.setAttribute("data-last", message.lastEventId);
      return item;
    }
    source.addEventListener("event", function (message) {
      var item = entry(message);
      if (!item) return;
      item.classList.add("fresh");
      timeline.appendChild(item);
      var kind = item.querySelector(".kind");
      if (kind && kind.textContent === "stage changed") stageMoved();
    });
    // The stage path and the forms are the server's: say they are out of date, and where to look.
    function stageMoved() {
      if (document.getElementById("stage-moved")) return;
      var notice = document.createElement("p");
      notice.id = "stage-moved";
      notice.className = "notice";
      notice.setAttribute("role", "status");
      notice.appendChild(document.createTextNode("The stage has changed since this page was loaded. "));
      var reload = document.createElement("a");
      reload.href = incident[0];
      reload.textContent = "Reload for the stage and what you can do now";
      notice.appendChild(reload);
      var heading = document.querySelector("main h1");
      heading.parentNode.insertBefore(notice, heading.nextSibling);
    }
    // Page deliveries are folded into one line, as the server folds them.
    source.addEventListener("delivery", function (message) {
      var item = entry(message);
      if (!item) return;
      var run = timeline.lastElementChild;
      if (!run || !run.classList.contains("deliveries")) {
        run = document.createElement("li");
        run.className = "deliveries fresh";
        var details = document.createElement("details");
        details.appendChild(document.createElement("summary"));
        details.appendChild(document.createElement("ol"));
        run.appendChild(details);
        timeline.appendChild(run);
      }
      var list = run.querySelector("ol");
      list.appendChild(item);
      var count = list.children.length;
      run.querySelector("summary").textContent = count + " page delivery event" + (count === 1 ? "" : "s");
    });
  }

  // "Older entries" links to a page of its own; with this script the entries before the
  // oldest shown come from the server (escaped there) and go on top of the timeline, and the
  // link moves to the entries before those. If the fetch fails, the link is followed.
  function loadOlder() {
    var timeline = document.getElementById("timeline");
    if (!timeline || !window.fetch) return;
    timeline.parentNode.addEventListener("click", function (click) {
      var link = click.target.closest("#timeline-older a[data-fragment]");
      if (!link) return;
      click.preventDefault();
      if (link.getAttribute("aria-busy") === "true") return;
      link.setAttribute("aria-busy", "true");
      fetch(link.getAttribute("data-fragment"), { credentials: "same-origin", headers: { "Accept": "text/html" } }).then(function (answer) {
        if (!answer.ok) throw new Error("HTTP " + answer.status);
        return answer.text();
      }).then(function (markup) {
        var holder = document.createElement("template");
        holder.innerHTML = markup;
        var entries = holder.content.querySelector("ol.timeline");
        if (!entries) throw new Error("no entries");
        var place = timeline.firstChild;
        while (entries.firstChild) timeline.insertBefore(entries.firstChild, place);
        var older = holder.content.querySelector("#timeline-older");
        var shown = document.getElementById("timeline-older");
        if (older) {
          shown.replaceWith(older);
          older.querySelector("a").focus();
        } else {
          shown.remove();
          timeline.setAttribute("tabindex", "-1");
          timeline.focus();
        }
      }).catch(function () {
        location.href = link.href;
      });
    });
  }

  // Server-Sent Events: each message is the HTML of one incident row, escaped by the server;
  // a row already shown is replaced, a new one goes on top. The browser resumes from the
  // newest incident it has (Last-Event-ID) after a reconnection.
  function followList() {
    var table = document.getElementById("open-incidents");
    if (!table || !window.EventSource) return;
    var filter = table.getAttribute("data-filter");
    var source = new EventSource("/live/incidents?after=" + table.getAttribute("data-last") + (filter ? "&" + filter : ""));
    source.addEventListener("row", function (message) {
      var holder = document.createElement("template");
      holder.innerHTML = "<table><tbody>" + message.data + "</tbody></table>";
      var row = holder.content.querySelector("tr");
      if (!row) return;
      var shown = document.getElementById(row.id);
      if (shown) {
        shown.replaceWith(row);
      } else {
        row.classList.add("fresh");
        table.tBodies[0].insertBefore(row, table.tBodies[0].firstChild);
      }
      var empty = document.getElementById("no-open");
      if (empty) empty.remove();
      var open = Array.prototype.filter.call(table.tBodies[0].rows, function (each) {
        return each.querySelector(".stage").textContent !== "closed";
      });
      document.getElementById("open-count").textContent = open.length;
      table.setAttribute("data-last", message.lastEventId);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    countDown();
    followTimeline();
    loadOlder();
    followList();
  });
})();
