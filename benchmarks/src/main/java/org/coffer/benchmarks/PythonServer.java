package org.coffer.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running Debian Python that answers one request per line, so a benchmark
 * measures the Python work and a pipe round trip, not interpreter start-up.
 */
public final class PythonServer implements AutoCloseable {

    private final Process process;
    private final OutputStream requests;
    private final BufferedReader answers;

    /**
     * @param setup Python statements run once
     * @param answer a Python expression evaluated per request
     * @param environment extra environment variables
     */
    public PythonServer(String setup, String answer, Map<String, String> environment) throws IOException {
        String script = setup + "\nimport sys\nfor line in sys.stdin:\n"
                + "    sys.stdout.write(str(" + answer + ") + '\\n')\n    sys.stdout.flush()\n";
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-c", script);
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        process = builder.start();
        requests = process.getOutputStream();
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @return the answer to one request */
    public String ask() throws IOException {
        requests.write('\n');
        requests.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("the Python process ended; is its package installed?");
        }
        return answer;
    }

    @Override
    public void close() throws Exception {
        requests.close();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
