// The floor-plan editor: a click on the drawing fills the marker form's x and y with the point
// clicked, in the drawing's own coordinates.
(function () {
  "use strict";
  const box = document.querySelector("[data-floor-plan-editor] svg");
  const x = document.getElementById("id_x");
  const y = document.getElementById("id_y");
  if (!box || !x || !y) return;
  box.addEventListener("click", function (event) {
    const point = box.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const local = point.matrixTransform(box.getScreenCTM().inverse());
    x.value = Math.round(local.x);
    y.value = Math.round(local.y);
    x.dispatchEvent(new Event("change"));
    document.getElementById("marker-form").scrollIntoView({ behavior: "smooth", block: "nearest" });
  });
})();
