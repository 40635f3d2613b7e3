package org.coffer.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands bound by {@link Invocation} in a real Gogo runtime, as every container's shell calls them. */
class InvocationTest {

    /** A family of commands in the shape of Coffer's own. */
    static final class Sample extends CommandGroup {
        final List<String> calls;

        Sample() {
            super("sample", "get", "lock", "config", "env-add", "unlock");
            this.calls = new ArrayList<>();
        }

        private Sample(Sample component, String function) {
            super(component, function);
            this.calls = component.calls;
        }

        @Override
        Sample named(String function) {
            return new Sample(this, function);
        }

        @Descriptor("print the secret of a service")
        public void get(CommandSession session,
                @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true",
                        absentValue = "false") boolean json,
                @Descriptor("the service") String service,
                @Descriptor("the username") String username) {
            calls.add("get json=" + json + " " + service + " " + username);
        }

        @Descriptor("lock keyrings")
        public void lock(CommandSession session, @Descriptor("backend names") String... names) {
            calls.add("lock " + Arrays.toString(names));
        }

        public void config(CommandSession session) {
            calls.add("config");
        }

        @Descriptor("read the given app.config")
        public void config(CommandSession session, @Descriptor("the app.config") String file) {
            calls.add("config " + file);
        }

        @Descriptor("unlock keyrings")
        public void unlock(CommandSession session,
                @Descriptor("keep the password for a while") @Parameter(names = {"-c", "--cache"}, absentValue = "")
                        String duration,
                @Descriptor("backend names") String... names) {
            calls.add("unlock cache=" + duration + " " + Arrays.toString(names));
        }

        @Descriptor("add an environment")
        public void envAdd(CommandSession session, String environment, String... description) {
            calls.add("env-add " + environment + " " + Arrays.toString(description));
        }
    }

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private Sample sample;

    @BeforeEach
    void start() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        sample = new Sample();
        for (String function : List.of("get", "lock", "config", "env-add", "unlock")) {
            processor.addCommand("sample", sample.named(function), function);
        }
    }

    @AfterEach
    void stop() {
        threadIO.stop();
    }

    /** What a command printed, and its status. */
    private String[] run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
            session.put(KeyringCommands.STATUS, 0);
            session.execute(line);
            return new String[] {String.valueOf(session.get(KeyringCommands.STATUS)),
                out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        }
    }

    @Test
    void flagsAndOperandsBindInAnyOrder() throws Exception {
        run("sample:get svc bob");
        run("sample:get -j svc bob");
        run("sample:get svc --json bob");
        run("sample:get -- -j bob");
        assertThat(sample.calls).containsExactly("get json=false svc bob", "get json=true svc bob",
                "get json=true svc bob", "get json=false -j bob");
    }

    @Test
    void theLastOperandMayTakeTheRestAndFormsAreChosenByTheirOperands() throws Exception {
        run("sample:lock");
        run("sample:lock cryptfile plaintext");
        run("sample:config");
        run("sample:config app.config");
        run("sample:env-add prod the production servers");
        assertThat(sample.calls).containsExactly("lock []", "lock [cryptfile, plaintext]", "config",
                "config app.config", "env-add prod [the, production, servers]");
    }

    @Test
    void anOptionTakesTheNextWordOrTheTextAfterItsEqualsSignAndItsAbsentValueOtherwise() throws Exception {
        run("sample:unlock");
        run("sample:unlock --cache 15m");
        run("sample:unlock cryptfile --cache 30s plaintext");
        run("sample:unlock --cache=2h cryptfile");
        run("sample:unlock -c 900 -- --cache");
        run("sample:unlock --cache --cache");
        assertThat(sample.calls).containsExactly("unlock cache= []", "unlock cache=15m []",
                "unlock cache=30s [cryptfile, plaintext]", "unlock cache=2h [cryptfile]", "unlock cache=900 [--cache]",
                "unlock cache=--cache []");
        String[] missing = run("sample:unlock cryptfile --cache");
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("wrong arguments for sample:unlock", "usage: sample:unlock [-c|--cache DURATION]");
        assertThat(sample.calls).hasSize(6);
        assertThat(run("sample:unlock --help")[1]).startsWith("usage: sample:unlock [-c|--cache DURATION] [NAMES...]\n")
                .contains("-c, --cache DURATION  keep the password for a while");
    }

    @Test
    void helpPrintsTheUsageOfEveryFormWithStatusZero() throws Exception {
        String[] help = run("sample:get --help");
        assertThat(help[0]).isEqualTo("0");
        assertThat(help[1]).startsWith("usage: sample:get [-j|--json] SERVICE USERNAME\n")
                .contains("print the secret of a service", "-j, --json", "print JSON", "SERVICE", "the username");
        assertThat(run("sample:config --help")[1]).contains("usage: sample:config\n",
                "usage: sample:config FILE\n");
        assertThat(run("sample:lock --help")[1]).contains("usage: sample:lock [NAMES...]");
        assertThat(sample.calls).isEmpty();
    }

    @Test
    void afterTheEndOfOptionsHelpAndDashesAreOperandsAndAnUnsetVariableIsNoArgument() throws Exception {
        run("sample:get -- --help -x");
        assertThat(sample.calls).containsExactly("get json=false --help -x");
        String[] unset = run("sample:get $nothing bob");
        assertThat(unset[0]).isEqualTo("2");
        assertThat(unset[2]).contains("a variable that is not set");
        assertThat(sample.calls).hasSize(1);
    }

    @Test
    void wordsThatFitNoFormPrintTheUsageOnStandardErrorWithStatusTwo() throws Exception {
        for (String line : List.of("sample:get svc", "sample:get a b c", "sample:get --jsn svc bob", "sample:lock -x",
                "sample:config a b", "sample:env-add")) {
            String[] run = run(line);
            assertThat(run[0]).as(line).isEqualTo("2");
            assertThat(run[1]).as(line).isEmpty();
            assertThat(run[2]).as(line).contains("sample: wrong arguments for sample:", "usage: sample:")
                    .doesNotContain("Cannot coerce");
        }
        assertThat(sample.calls).isEmpty();
    }

    @Test
    void aCommandWithoutAMethodOrWithParametersOfOtherTypesIsRefusedAtRegistration() {
        assertThatThrownBy(() -> new Invocation(Sample.class, "sample", "missing"))
                .hasMessageContaining("no method for sample:missing");
        assertThatThrownBy(() -> new Invocation(Numbers.class, "n", "count"))
                .hasMessageContaining("neither a flag, an option with a value nor an operand");
        assertThatThrownBy(() -> new Invocation(Numbers.class, "n", "mode"))
                .hasMessageContaining("neither a flag, an option with a value nor an operand");
        assertThat(Invocation.javaName("env-delete")).isEqualTo("envDelete");
    }

    /** Commands with parameters Coffer's binding does not take: an int operand, a String flag. */
    public static final class Numbers {
        public void count(CommandSession session, int n) {
        }

        /** A String with a presentValue is neither a flag nor an option that takes a word. */
        public void mode(CommandSession session, @Parameter(names = "--fast", presentValue = "yes",
                absentValue = "no") String mode) {
        }
    }
}
