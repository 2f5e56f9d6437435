/* The comparison page: "下载 PNG" draws the server-rendered SVG chart on a canvas and saves it.
   Without JavaScript the button stays hidden; the chart, the table and the CSV need none. */
(function () {
  "use strict";
  var SCALE = 2; // a sharper picture than the screen's 720 px

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  function drawPng(svg, done, failed) {
    var width = Number(svg.getAttribute("width"));
    var height = Number(svg.getAttribute("height"));
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = width * SCALE;
      canvas.height = height * SCALE;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { blob ? done(blob) : failed(); }, "image/png");
    };
    image.onerror = failed;
    // A data: URL (the Content-Security-Policy allows data: images, not blob: ones).
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  }

  document.querySelectorAll("[data-png-chart]").forEach(function (button) {
    var svg = document.getElementById(button.getAttribute("data-png-chart"));
    var status = button.parentNode.querySelector(".png-status");
    if (!svg) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) status.textContent = "";
      drawPng(svg, function (blob) {
        save(blob, button.getAttribute("data-filename") || "chart.png");
      }, function () {
        if (status) status.textContent = button.getAttribute("data-error") || "";
      });
    });
  });
})();
