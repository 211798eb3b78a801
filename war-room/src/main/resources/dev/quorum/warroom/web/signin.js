"use strict";
document.getElementById("signin-form").addEventListener("submit", async event => {
  event.preventDefault();
  const message = document.getElementById("message");
  const input = document.getElementById("token");
  message.textContent = "";
  const response = await fetch("/api/session", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: input.value })
  });
  input.value = "";
  if (response.status === 201) { location.assign("/"); return; }
  let detail = "sign-in failed";
  try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
  message.className = "message error";
  message.textContent = "Sign-in failed: " + detail;
  input.focus();
});
