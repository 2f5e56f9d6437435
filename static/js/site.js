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
