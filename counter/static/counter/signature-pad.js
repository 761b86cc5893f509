// Signature pad: draw with finger, pen or mouse on <canvas data-signature-pad="#hidden-input-id">.
// On submit of the enclosing form the drawing is stored in the hidden input as a PNG data URL.
(function () {
  "use strict";

  function setUp(canvas) {
    if (canvas.dataset.ready) return;
    canvas.dataset.ready = "1";
    var input = document.querySelector(canvas.dataset.signaturePad);
    var ctx = canvas.getContext("2d");
    var ratio = window.devicePixelRatio || 1;
    var drawing = false;
    var inked = false;

    canvas.width = canvas.clientWidth * ratio;
    canvas.height = canvas.clientHeight * ratio;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#111";
    canvas.style.touchAction = "none";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      inked = true;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });

    var clear = document.querySelector("[data-signature-clear='" + canvas.id + "']");
    if (clear) {
      clear.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        inked = false;
        if (input) input.value = "";
      });
    }
    var form = canvas.closest("form");
    if (form && input) {
      var store = function () { input.value = inked ? canvas.toDataURL("image/png") : ""; };
      form.addEventListener("submit", store);
      form.addEventListener("htmx:configRequest", function (event) {
        store();
        event.detail.parameters[input.name] = input.value;
      });
    }
  }

  function scan(root) {
    (root || document).querySelectorAll("canvas[data-signature-pad]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(); });
  document.addEventListener("htmx:load", function (event) { scan(event.target); });
})();
