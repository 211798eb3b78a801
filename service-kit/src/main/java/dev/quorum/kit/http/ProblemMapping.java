package dev.quorum.kit.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides which problem an exception thrown by a handler is: the client's (4xx, explained) or the
 * server's (500, explained only in the log). Bad input must never come back as a 5xx.
 */
final class ProblemMapping {
  static final ProblemException INTERNAL = new ProblemException(500, "Internal Server Error",
      "the server could not answer; the error is in its log", null, null, null);

  private ProblemMapping() {}

  /** The problem for a client error, or null when the exception is the server's own fault. */
  static ProblemException clientProblem(Throwable thrown) {
    Throwable wrapper = null;
    for (Throwable t = thrown; t != null; wrapper = t, t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ProblemException problem) return problem;
      if (t instanceof HttpResponseException e) return fromJavalin(e);
      if (t instanceof ValidationException e) return fromValidation(e);
      // deeper down, a JSON error is more likely the server reading its own data than the request body
      boolean fromHandler = wrapper == null || wrapper instanceof UncheckedIOException;
      if (t instanceof JsonProcessingException e && fromHandler && isInputError(e)) return fromJson(e);
    }
    return null;
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }

  private static ProblemException fromJavalin(HttpResponseException e) {
    int status = e.getStatus() >= 400 && e.getStatus() <= 599 ? e.getStatus() : 500;
    if (status >= 500) return null;
    return new ProblemException(status, title(status), e.getMessage(), null, null, null);
  }

  private static ProblemException fromValidation(ValidationException e) {
    List<String> errors = new ArrayList<>();
    String firstField = null;
    for (Map.Entry<String, List<ValidationError<Object>>> entry : e.getErrors().entrySet()) {
      if (firstField == null) firstField = entry.getKey();
      for (ValidationError<Object> error : entry.getValue()) errors.add(entry.getKey() + ": " + error.getMessage());
    }
    String detail = errors.isEmpty() ? "the request is not valid" : errors.get(0);
    return new ProblemException(400, "Bad Request", detail, firstField, errors, null);
  }

  /**
   * Reading errors are the client's; writing errors and unusable class definitions are the server's,
   * and only the processor tells a mapping error of one kind from the other.
   */
  private static boolean isInputError(JsonProcessingException e) {
    if (e instanceof InvalidDefinitionException) return false;
    if (e instanceof StreamReadException || e instanceof ValueInstantiationException) return true;
    return e instanceof JsonMappingException mapping && mapping.getProcessor() instanceof JsonParser;
  }

  private static ProblemException fromJson(JsonProcessingException e) {
    String field = e instanceof JsonMappingException mapping ? path(mapping) : null;
    String message = e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null
        ? e.getCause().getMessage()
        : e.getOriginalMessage();
    JsonLocation at = e.getLocation();
    String where = at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "";
    String detail = e instanceof StreamReadException
        ? "the body is not well-formed JSON: " + firstLine(message) + where
        : "the body does not have the expected shape" + (field == null ? "" : " at " + field) + ": " + firstLine(message);
    return new ProblemException(400, "Bad Request", detail, field, null, null);
  }

  /** The JSON path of the offending value, {@code data.labels[2].name}, or null for the document itself. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (!path.isEmpty()) path.append('.');
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? null : path.toString();
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
