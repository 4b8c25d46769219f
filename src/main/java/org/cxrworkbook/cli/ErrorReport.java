package org.cxrworkbook.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.cxrworkbook.data.DataException;
import org.cxrworkbook.data.Problem;
import picocli.CommandLine;

/**
 * How a command's failure reaches the user: with {@code --json} always one JSON document on stdout
 * ({@code {"error": …, "problems": [{file, row, message}…]}}), otherwise one clear message on stderr naming the
 * file, row or option — a stack trace only for a failure that is a bug, not bad input. Public for the other command
 * line of the project, the Spark job's ({@code spark/job}), which reports its failures the same way.
 */
public final class ErrorReport implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** Exit status of a command refused for its input (bad data, options or files). */
    public static final int BAD_INPUT = 2;

    private ErrorReport() {
    }

    /** Installs both handlers on {@code cl}. */
    public static CommandLine install(CommandLine cl) {
        ErrorReport r = new ErrorReport();
        return cl.setExecutionExceptionHandler(r).setParameterExceptionHandler(r);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable e = ex.getCause() instanceof DataException d && !(ex instanceof UncheckedIOException) ? d : ex;
        boolean userError = isUserError(e);
        String command = cl.getCommandName();
        if (json(parsed)) {
            cl.getOut().println(toJson(command, e, userError));
            cl.getOut().flush();
            if (!userError) {
                e.printStackTrace(new PrintWriter(cl.getErr(), true));
            }
        } else if (userError) {
            cl.getErr().println("cxr " + command + ": " + message(e));
            cl.getErr().flush();
        } else {
            ex.printStackTrace(new PrintWriter(cl.getErr(), true)); // a bug: its stack trace, as picocli would
        }
        return userError ? BAD_INPUT : 1;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        if (Arrays.asList(args).contains("--json")) {
            JsonObject o = new JsonObject();
            o.addProperty("command", cl.getCommandName());
            o.addProperty("error", ex.getMessage());
            cl.getOut().println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
            cl.getOut().flush();
            return BAD_INPUT;
        }
        cl.getErr().println("cxr " + cl.getCommandName() + ": " + ex.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr())) {
            cl.getErr().println("(./cxr " + cl.getCommandName() + " --help lists the options)");
        }
        cl.getErr().flush();
        return BAD_INPUT;
    }

    private static boolean json(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult p = parsed;
        while (p != null) {
            if (p.hasMatchedOption("--json") && Boolean.TRUE.equals(p.matchedOptionValue("--json", false))) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }

    /** Bad input rather than a bug: data problems, refused settings or options, unreadable or unwritable files. */
    static boolean isUserError(Throwable e) {
        return e instanceof DataException || e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof CommandLine.ParameterException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException && e.getMessage() != null;
    }

    /** The message of {@code e}: a DataException's lists every problem; an I/O error names its file. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "file or folder not found: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof org.cxrworkbook.data.OutputException) {
            return m; // names the file and the reason already
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null && u.getCause() != e) {
            return m + ": " + message(u.getCause());
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** {@code {"command", "error", "problems": [...]}}; problems only for a DataException. */
    static String toJson(String command, Throwable e, boolean userError) {
        JsonObject o = new JsonObject();
        o.addProperty("command", command);
        o.addProperty("error", userError ? message(e) : e.getClass().getName() + ": " + message(e));
        if (e instanceof DataException d) {
            o.add("problems", problems(d.problems()));
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(o);
    }

    /** Problems as a JSON array of {file, row, message}. */
    static JsonArray problems(List<Problem> problems) {
        JsonArray a = new JsonArray();
        for (Problem p : problems) {
            JsonObject j = new JsonObject();
            j.addProperty("file", p.file());
            j.addProperty("row", p.row());
            j.addProperty("message", p.message());
            a.add(j);
        }
        return a;
    }
}
