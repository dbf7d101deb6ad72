/*
 * Progress without reloading the page. Every element with data-poll-url asks that address (JSON with done,
 * failed, total, finished and label) once a second until it answers finished: the <progress> inside shows
 * done of total, the [data-poll-label] inside shows the label, and once finished the [data-poll-running]
 * elements inside (an "Issuing …" banner) are hidden. With data-reload-when-finished the page reloads once
 * finished (to show the new download link). Without JavaScript the page shows the figure it was rendered
 * with and a refresh link.
 */
(function () {
    "use strict";

    var INTERVAL = 1000;
    var RETRY_INTERVAL = 5000;

    function watch(element) {
        var url = element.getAttribute("data-poll-url");
        var bar = element.querySelector("progress");
        var label = element.querySelector("[data-poll-label]");

        function show(data) {
            if (bar) {
                bar.max = Math.max(data.total, 1);
                bar.value = data.done;
                bar.textContent = data.percent + "%";
            }
            if (label && data.label) {
                label.textContent = data.label;
            }
        }

        function ask() {
            fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.json();
                })
                .then(function (data) {
                    show(data);
                    if (!data.finished) {
                        window.setTimeout(ask, INTERVAL);
                        return;
                    }
                    element.setAttribute("data-finished", "");
                    element.querySelectorAll("[data-poll-running]").forEach(function (running) {
                        running.hidden = true;
                    });
                    if (element.hasAttribute("data-reload-when-finished")) {
                        window.location.reload();
                    }
                })
                .catch(function () {
                    window.setTimeout(ask, RETRY_INTERVAL);
                });
        }

        window.setTimeout(ask, INTERVAL);
    }

    document.querySelectorAll("[data-poll-url]").forEach(watch);
})();
