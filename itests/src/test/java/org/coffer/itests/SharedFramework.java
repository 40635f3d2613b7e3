package org.coffer.itests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.coffer.itests.CofferSupport.Part;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * One framework per container for the Pax Exam tests that do not disturb each other:
 * failsafe's {@code *-shared} executions run them in one JVM, and Pax Exam's
 * {@code PerSuite} strategy keeps the framework that the first of them starts for all.
 * That framework is started with the first test's configuration only, so every one of
 * them asks for the same: the union of their parts and options.
 *
 * <p>What makes the sharing safe: each test configures the keyring files it uses
 * (on a folder of its own), removes what it installs, registers or writes (bundles,
 * backends, the access policy, configurations outside Coffer's own PIDs), leaves the
 * choice of backend automatic, and before each test the backends beyond its parts are
 * stopped and its own started ({@link CofferSupport#onlyThePartsOfThisTest}). The tests
 * that read what the framework logged since its start ({@code ContainerLogIT}) or that
 * need Karaf's {@code etc/} as they give it ({@code KarafEtcIT}) keep a framework of
 * their own.
 */
final class SharedFramework {

    /** The members in every container; the failsafe executions list the same classes. */
    private static final List<Supplier<CofferSupport>> EVERYWHERE = List.of(ProviderIT::new, AccessPolicyIT::new,
            AppConfigIT::new, CredentialsIT::new, HotSwapIT::new, KeyctlSwapIT::new, ShellIT::new, WebConsoleIT::new);
    /** The members that Karaf does not run. */
    private static final List<Supplier<CofferSupport>> FELIX_AND_EQUINOX = List.of(CryptFileSwapIT::new,
            SecretServiceSwapIT::new);
    /** The member that Felix alone runs. */
    private static final List<Supplier<CofferSupport>> FELIX = List.of(EtcdSwapIT::new);

    /** The system property that tells a test inside the container that it shares the framework. */
    static final String MARK = "coffer.shared";

    /** Computed once: a member's options draw a free port or copy a jar. */
    private static Option[] options;

    private SharedFramework() {
    }

    /** @return whether the test class runs in the shared framework */
    static boolean shares(Class<?> test) {
        ExamReactorStrategy strategy = test.getAnnotation(ExamReactorStrategy.class);
        return strategy != null && Arrays.asList(strategy.value()).contains(PerSuite.class);
    }

    private static List<Supplier<CofferSupport>> members() {
        List<Supplier<CofferSupport>> members = new ArrayList<>(EVERYWHERE);
        if (!Containers.karaf()) {
            members.addAll(FELIX_AND_EQUINOX);
        }
        if ("felix".equals(Containers.CONTAINER)) {
            members.addAll(FELIX);
        }
        return members;
    }

    /** @return the options of the shared framework: every member's parts and options */
    static synchronized Option[] options() throws IOException {
        if (options == null) {
            Set<Part> parts = new LinkedHashSet<>();
            List<Option> extra = new ArrayList<>();
            for (Supplier<CofferSupport> member : members()) {
                CofferSupport test = member.get();
                parts.addAll(test.parts());
                extra.addAll(List.of(test.extra()));
            }
            extra.add(CoreOptions.systemProperty(MARK).value("true"));
            options = CofferSupport.container(new ArrayList<>(parts), extra.toArray(new Option[0]));
        }
        return options;
    }
}
