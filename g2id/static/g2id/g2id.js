// G2ID: small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // After a refused submission, take keyboard and screen-reader users to the error summary.
  const summary = document.getElementById("form-errors");
  if (summary) summary.focus();
});
