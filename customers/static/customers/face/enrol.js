// Staff enrolment page: photos from the counter webcam or kiosk camera are put into the form's
// file input (at most 3), so they go up with the consent in one request and are never saved.
(() => {
  const form = document.getElementById("face-enrol-form");
  if (!form) return;
  const source = document.getElementById("face-source");
  const input = document.getElementById("face-photos");
  const webcam = form.querySelector(".face-webcam");
  const video = document.getElementById("face-video");
  const count = document.getElementById("face-count");
  const taken = new DataTransfer();
  let stream = null;

  async function startCamera() {
    if (stream || !navigator.mediaDevices) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
      video.srcObject = stream;
    } catch (error) {
      webcam.hidden = true;
    }
  }

  function update() {
    const camera = source.value !== "upload";
    webcam.hidden = !camera;
    if (camera) startCamera();
  }

  document.getElementById("face-snap").addEventListener("click", () => {
    if (taken.files.length >= 3) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => {
      taken.items.add(new File([blob], `photo${taken.files.length + 1}.jpg`, { type: "image/jpeg" }));
      input.files = taken.files;
      count.textContent = `${taken.files.length} / 3`;
    }, "image/jpeg", 0.92);
  });

  form.addEventListener("submit", () => {
    if (stream) stream.getTracks().forEach((track) => track.stop());
  });
  source.addEventListener("change", update);
  update();
})();
