// A page restored from the back/forward cache is asked of the server again, so a
// signed-in page never shows after sign-out (the server sends the sign-in page instead).
window.addEventListener("pageshow", function (event) {
  if (event.persisted) {
    window.location.reload();
  }
});
