/* 江苏区域产业新闻档案 — small progressive enhancements; the site works without them. */
(function () {
  "use strict";

  // "复制引用": copy the text of the element named by data-copy-target.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var original = button.textContent;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target) return;
      copyText(target.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-copied-label") || original;
        button.classList.add("copied");
        window.setTimeout(function () {
          button.textContent = original;
          button.classList.remove("copied");
        }, 2000);
      }, function () {
        // Leave the text selected so the reader can copy it by hand.
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
  });

  // The article's details are open on a wide screen; on a phone they stay folded under the headline.
  if (window.matchMedia("(min-width: 601px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }

  // Open the raw source when a link points into it (#source, #source-mark).
  function openTarget() {
    if (!location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    if (!target) return;
    var details = target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView({block: "center"});
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Opening the source view scrolls its marked article text into view.
  document.querySelectorAll("details.source").forEach(function (details) {
    details.addEventListener("toggle", function () {
      var mark = details.querySelector("mark");
      if (details.open && mark) {
        var pre = details.querySelector("pre");
        if (pre) pre.scrollTop = Math.max(0, mark.offsetTop - pre.offsetTop - 40);
      }
    });
  });
  // The entity index narrows as the reader types: the same page is fetched with ?q= and its list
  // replaces this one (the form still works without JavaScript).
  var entityForm = document.querySelector("form[data-entity-search]");
  var entityResults = document.getElementById("entity-results");
  if (entityForm && entityResults && window.fetch && window.DOMParser) {
    var pending = null;
    var latest = 0;
    var refresh = function () {
      var query = new URLSearchParams(new FormData(entityForm)).toString();
      var url = entityForm.action + "?" + query;
      var ticket = ++latest;
      fetch(url, {headers: {"Accept": "text/html"}, credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || ticket !== latest) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("entity-results");
        if (!fresh) return;
        entityResults.innerHTML = fresh.innerHTML;
        history.replaceState(null, "", url);
        // The language switch brings the reader back to this list, not to the one first loaded.
        var next = document.querySelector(".language-switch input[name=next]");
        if (next) next.value = location.pathname + location.search;
      }).catch(function () { /* the form still submits */ });
    };
    entityForm.addEventListener("input", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(refresh, 200);
    });
    entityForm.addEventListener("change", refresh);
  }

  // Filter and search forms send only the fields that hold something: links stay short
  // and carry no empty parameters.
  document.querySelectorAll("form.filter-form, form.search-page-form, form.page-jump").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (input) {
        if (input.name && input.value.trim() === "") input.disabled = true;
      });
      // Re-enable them if the reader comes back to this page (back/forward cache).
      window.setTimeout(function () {
        form.querySelectorAll("input:disabled, select:disabled").forEach(function (input) { input.disabled = false; });
      }, 0);
    });
  });

  // The filter panel is open beside the results on wide screens; on a phone it stays folded.
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 601px)").matches) panel.open = true;
})();
