package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;
import org.coffer.backend.secretservice.protocol.TransportCipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coffer.CofferException;
import org.coffer.Secret;
import org.coffer.backend.secretservice.fixture.FakeSecretService;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Collection;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.EncodedSecret;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Pair;
import org.coffer.backend.secretservice.protocol.SecretServiceApi.Service;
import org.coffer.test.Peers;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** A reply of another shape than the specification gives is an error that names the method, never a ClassCastException. */
class ReplyShapeTest {

    static final String SECRET = "the secret value";
    static final DBusPath ITEM = new DBusPath("/org/freedesktop/secrets/collection/login/1");
    static final DBusPath SESSION = new DBusPath("/org/freedesktop/secrets/session/s1");

    static Type returnOf(Class<?> api, String name) {
        for (Method method : api.getMethods()) {
            if (method.getName().equals(name)) {
                return method.getGenericReturnType();
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void aReplyOfTheSpecifiedShapePasses() {
        ReplyShape.check("OpenSession", returnOf(Service.class, "OpenSession"), new Pair<>(new Variant<>(""), SESSION));
        ReplyShape.check("SearchItems", returnOf(Service.class, "SearchItems"), new Pair<>(List.of(ITEM), List.of()));
        ReplyShape.check("GetSecrets", returnOf(Service.class, "GetSecrets"), Map.of(ITEM, new EncodedSecret(SESSION,
                new byte[0], SECRET.getBytes(StandardCharsets.UTF_8), "text/plain")));
        ReplyShape.check("ReadAlias", returnOf(Service.class, "ReadAlias"), new DBusPath("/"));
        ReplyShape.check("SetAlias", returnOf(Service.class, "SetAlias"), null);
        assertThat(ReplyShape.property("Locked", Boolean.class, new Variant<>(true))).isTrue();
        assertThat(ReplyShape.attributes(new Variant<>(Map.of("service", "svc"), "a{ss}"))).containsEntry("service", "svc");
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of(Service.class, "OpenSession", new Pair<>("not a variant", SESSION),
                        "expected two values (vo); value 1 of the reply is a String where a variant (v) belongs"),
                Arguments.of(Service.class, "OpenSession", new UInt32(7), "expected two values (vo); the reply is a UInt32"),
                Arguments.of(Service.class, "ReadAlias", "/not/a/path", "expected an object path (o); the reply is a String"),
                Arguments.of(Service.class, "SearchItems", new Pair<>(List.of(ITEM, 7), List.of()),
                        "element 2 of value 1 of the reply is an Integer where an object path (o) belongs"),
                Arguments.of(Service.class, "SearchItems", new Pair<>(List.of(), null),
                        "value 2 of the reply is nothing where an array (ao) belongs"),
                Arguments.of(Service.class, "GetSecrets", Map.of(ITEM, SECRET),
                        "a value of the reply is a String where a secret (oayays) belongs"),
                Arguments.of(Service.class, "GetSecrets", Map.of("not a path", new EncodedSecret(SESSION, new byte[0],
                        new byte[0], "text/plain")), "a key of the reply is a String where an object path (o) belongs"),
                Arguments.of(Collection.class, "CreateItem", new Pair<>(ITEM, List.of()),
                        "value 2 of the reply is a ListN where an object path (o) belongs"),
                Arguments.of(Collection.class, "SearchItems", Map.of(), "expected an array (ao)"));
    }

    @ParameterizedTest
    @MethodSource("wrongShapes")
    void aReplyOfAnotherShapeNamesTheMethodAndWhatWasExpected(Class<?> api, String method, Object reply, String why) {
        assertThatThrownBy(() -> ReplyShape.check(method, returnOf(api, method), reply))
                .isInstanceOf(CofferException.class)
                .hasMessageStartingWith("The Secret Service answered " + method + " with a reply of the wrong shape")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @Test
    void aPropertyOfAnotherTypeNamesItAndWhatWasExpected() {
        assertThatThrownBy(() -> ReplyShape.property("Locked", Boolean.class, new Variant<>("yes")))
                .isInstanceOf(CofferException.class).hasMessageContaining("Get(Locked)")
                .hasMessageContaining("expected a boolean (b) in a variant, got a String");
        assertThatThrownBy(() -> ReplyShape.attributes(new Variant<>(List.of("service"), "as")))
                .isInstanceOf(CofferException.class).hasMessageContaining("Get(Attributes)")
                .hasMessageContaining("expected a dictionary");
        assertThatThrownBy(() -> ReplyShape.attributes(Map.of("service", 7)))
                .isInstanceOf(CofferException.class)
                .hasMessageContaining("a dictionary of strings (a{ss}) in a variant, got an entry of a String to an Integer");
    }

    /** The fake Secret Service answers one method with another signature; the operation that calls it fails cleanly. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"OpenSession|so|isLocked", "OpenSession|u|get", "ReadAlias|u|isLocked",
        "ReadAlias|s|set", "SearchItems|asas|get", "SearchItems|u|entries", "GetSecrets|a{ss}|get", "GetSecrets|u|get",
        "Get|u|isLocked", "Get|v|entries", "CreateItem|uu|set", "CreateItem|o|set"})
    void aServiceAnsweringWithAnotherShapeGetsAnErrorNamingTheMethod(String member, String signature, String operation,
            @TempDir Path dir) throws Exception {
        Peers.require(SecretServiceDaemon.installed(), SecretServiceDaemon.PACKAGES);
        Peers.require(FakeSecretService.installed(), FakeSecretService.PACKAGES);
        try (SecretServiceDaemon bus = SecretServiceDaemon.startBus(dir.resolve("bus"));
                FakeSecretService fake = FakeSecretService.answeringWrongly(bus, dir.resolve("fake"), member, signature)) {
            OwnerCheck trustingTheFake = new OwnerCheck(List.of(fake.executable().getFileName().toString()), false);
            SecretServiceBackend backend = new SecretServiceBackend(bus.address(), TransportCipher.PLAIN, "app", "default",
                    "COFFER_SECRETSERVICE_PASSWORD", Map.of(), Duration.ofSeconds(2), "secretservice", trustingTheFake);
            Throwable thrown = catchThrowable(() -> {
                switch (operation) {
                    case "get" -> backend.get("svc", "alice");
                    case "set" -> backend.set("svc", "alice", Secret.of(SECRET));
                    case "entries" -> backend.entries();
                    default -> backend.isLocked();
                }
            });
            assertThat(thrown).isInstanceOf(CofferException.class)
                    .hasMessageContaining("answered " + member).hasMessageContaining("expected");
            for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
                assertThat(cause).isNotInstanceOf(ClassCastException.class);
            }
            assertThat(fake.calls()).as("the fake was asked").anyMatch(call -> call.startsWith(member + "\t"));
        }
    }
}
