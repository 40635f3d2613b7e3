package org.coffer.webconsole.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.webconsole.WebConsoleSecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The console's sign-in with Coffer's credentials, the user and salted password the
 * launcher gives as framework properties, which no configuration can change. Ranked
 * above the Web Console's own provider, and named in
 * {@code felix.webconsole.security.providers} by the launcher, so the console serves
 * nothing without it: the {@code username} and {@code password} of the console's
 * configuration never matter, and no save of it brings back admin/admin.
 * <p>
 * Failed sign-ins slow down ({@link SignInThrottle}) and are audited as EventAdmin events
 * on {@code org/coffer/SIGNIN}, which Coffer writes to the OSGi log; the page shows
 * their count. Enabled by {@link ConsoleGuard} only where the launcher set
 * {@link #HASH}: in Karaf, the console keeps its JAAS sign-in.
 */
@Component(enabled = false, service = WebConsoleSecurityProvider.class, property = {
    "webconsole.security.provider.id=coffer", "service.ranking:Integer=1000"})
public final class CofferSignIn implements WebConsoleSecurityProvider {

    /** The framework property with the salted password. */
    static final String HASH = "coffer.web.password";
    /** The framework property with the user's name. */
    static final String USER = "coffer.web.user";
    static final String TOPIC = "org/coffer/SIGNIN";

    private final String user;
    private final PasswordHash hash;
    private final SignInThrottle throttle;
    private volatile Instant lastFailure;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public CofferSignIn(BundleContext context) {
        this(context.getProperty(USER) == null ? "admin" : context.getProperty(USER),
                PasswordHash.parse(String.valueOf(context.getProperty(HASH))), new SignInThrottle(250, 2000));
    }

    CofferSignIn(String user, PasswordHash hash, SignInThrottle throttle) {
        this.user = user;
        this.hash = hash;
        this.throttle = throttle;
    }

    @Override
    public Object authenticate(String username, String password) {
        // the console hands the password as a String: it cannot be wiped; never log the value
        char[] given = password == null ? new char[0] : password.toCharArray();
        try {
            SignInThrottle.Outcome outcome = throttle.attempt(() -> user.equals(username) & hash.matches(given));
            if (outcome == SignInThrottle.Outcome.ACCEPTED) {
                return user;
            }
            lastFailure = Instant.now();
            audit(username, outcome);
            return null;
        } finally {
            java.util.Arrays.fill(given, '\0');
        }
    }

    @Override
    public boolean authorize(Object signedIn, String role) {
        return user.equals(signedIn);
    }

    /** @return the failed sign-ins since the console started */
    long failures() {
        return throttle.total();
    }

    /** @return when the last sign-in failed, or {@code null} */
    Instant lastFailure() {
        return lastFailure;
    }

    private void audit(String username, SignInThrottle.Outcome outcome) {
        EventAdmin current = eventAdmin;
        if (current == null) {
            return;
        }
        int inARow = throttle.failuresInARow();
        Map<String, Object> properties = new HashMap<>();
        properties.put("bundle.symbolicName", "org.coffer.webconsole");
        properties.put("service", "web console");
        // a name that is not the user's may be a password typed in the wrong field
        properties.put("username", user.equals(username) ? user : "(another name)");
        properties.put("backend", "");
        properties.put("outcome", outcome == SignInThrottle.Outcome.BUSY
                ? "denied: not checked, too many sign-ins waiting"
                : "denied: wrong user or password, " + inARow + " in a row; the next is checked after "
                + throttle.delayMillis(inARow) + " ms");
        current.postEvent(new Event(TOPIC, properties));
    }
}
