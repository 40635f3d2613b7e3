package org.coffer.backend.secretservice.protocol;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of the <a href="https://specifications.freedesktop.org/secret-service-spec/latest/">freedesktop
 * Secret Service API</a> (version 0.2) that Coffer calls, as dbus-java interfaces, and
 * gnome-keyring's one extension for unlocking without a prompt.
 */
public final class SecretServiceApi {

    /** The bus name of the Secret Service. */
    public static final String BUS_NAME = "org.freedesktop.secrets";
    /** The object path of the service. */
    public static final String SERVICE_PATH = "/org/freedesktop/secrets";
    /** The path a method returns when no prompt (or no object) is needed. */
    public static final String NO_OBJECT = "/";

    public static final String COLLECTION_INTERFACE = "org.freedesktop.Secret.Collection";
    public static final String ITEM_INTERFACE = "org.freedesktop.Secret.Item";
    public static final String SERVICE_INTERFACE = "org.freedesktop.Secret.Service";

    private SecretServiceApi() {
    }

    /** {@code org.freedesktop.Secret.Service}, at {@link #SERVICE_PATH}. */
    @DBusInterfaceName("org.freedesktop.Secret.Service")
    public interface Service extends DBusInterface {

        /** @return the algorithm's output and the session's path */
        Pair<Variant<?>, DBusPath> OpenSession(String algorithm, Variant<?> input);

        /** @return the new collection (or "/") and a prompt (or "/") */
        Pair<DBusPath, DBusPath> CreateCollection(Map<String, Variant<?>> properties, String alias);

        /** @return the unlocked and the locked items whose attributes match, in every collection */
        Pair<List<DBusPath>, List<DBusPath>> SearchItems(Map<String, String> attributes);

        /** @return the objects unlocked without a prompt, and a prompt (or "/") for the others */
        Pair<List<DBusPath>, DBusPath> Unlock(List<DBusPath> objects);

        /** @return the objects locked, and a prompt (or "/") */
        Pair<List<DBusPath>, DBusPath> Lock(List<DBusPath> objects);

        /** @return the secrets of the unlocked items among those given */
        Map<DBusPath, EncodedSecret> GetSecrets(List<DBusPath> items, DBusPath session);

        /** @return the collection of an alias, or "/" */
        DBusPath ReadAlias(String name);

        void SetAlias(String name, DBusPath collection);
    }

    /** {@code org.freedesktop.Secret.Collection}. */
    @DBusInterfaceName(COLLECTION_INTERFACE)
    public interface Collection extends DBusInterface {

        /** @return the items of this collection whose attributes match */
        List<DBusPath> SearchItems(Map<String, String> attributes);

        /** @return the new item and a prompt (or "/") */
        Pair<DBusPath, DBusPath> CreateItem(Map<String, Variant<?>> properties, EncodedSecret secret, boolean replace);

        /** @return a prompt, or "/" */
        DBusPath Delete();

        /** An item was created in the collection. */
        class ItemCreated extends DBusSignal {
            public final DBusPath item;

            public ItemCreated(String path, DBusPath item) throws DBusException {
                super(path, item);
                this.item = item;
            }
        }

        /** An item's secret or properties changed. */
        class ItemChanged extends DBusSignal {
            public final DBusPath item;

            public ItemChanged(String path, DBusPath item) throws DBusException {
                super(path, item);
                this.item = item;
            }
        }

        /** An item was deleted. */
        class ItemDeleted extends DBusSignal {
            public final DBusPath item;

            public ItemDeleted(String path, DBusPath item) throws DBusException {
                super(path, item);
                this.item = item;
            }
        }
    }

    /** {@code org.freedesktop.Secret.Item}. */
    @DBusInterfaceName(ITEM_INTERFACE)
    public interface Item extends DBusInterface {

        /** @return a prompt, or "/" */
        DBusPath Delete();

        /** @return the item's secret, encoded for the session */
        EncodedSecret GetSecret(DBusPath session);

        void SetSecret(EncodedSecret secret);
    }

    /** {@code org.freedesktop.Secret.Session}: a transport key between one client and the service. */
    @DBusInterfaceName("org.freedesktop.Secret.Session")
    public interface Session extends DBusInterface {

        void Close();
    }

    /** {@code org.freedesktop.Secret.Prompt}: shows a dialog where a prompter exists. */
    @DBusInterfaceName("org.freedesktop.Secret.Prompt")
    public interface Prompt extends DBusInterface {

        void Prompt(String windowId);

        void Dismiss();

        /** The prompt finished: dismissed by the user, or done. */
        class Completed extends DBusSignal {
            public final boolean dismissed;

            public Completed(String path, boolean dismissed, Variant<?> result) throws DBusException {
                super(path, dismissed, result);
                this.dismissed = dismissed;
            }
        }
    }

    /**
     * gnome-keyring's {@code org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface}
     * at {@link #SERVICE_PATH}: what {@code gnome-keyring-daemon --unlock} and the login
     * manager use to open a keyring with its password, without a prompt.
     */
    @DBusInterfaceName("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface")
    public interface GnomeKeyring extends DBusInterface {

        void UnlockWithMasterPassword(DBusPath collection, EncodedSecret master);

        /** @return the new collection */
        DBusPath CreateWithMasterPassword(Map<String, Variant<?>> properties, EncodedSecret master);
    }

    /**
     * The {@code (oayays)} secret struct: session, parameters, value, content type.
     * dbus-java's final {@code toString} prints the fields: never log one.
     */
    public static final class EncodedSecret extends Struct {
        @Position(0)
        public final DBusPath session;
        @Position(1)
        public final byte[] parameters;
        @Position(2)
        public final byte[] value;
        @Position(3)
        public final String contentType;

        public EncodedSecret(DBusPath session, byte[] parameters, byte[] value, String contentType) {
            this.session = session;
            this.parameters = parameters;
            this.value = value;
            this.contentType = contentType;
        }
    }

    /**
     * Two return values of a method. Generic, so that dbus-java knows the types to
     * decode.
     */
    public static final class Pair<A, B> extends Tuple {
        @Position(0)
        public final A first;
        @Position(1)
        public final B second;

        public Pair(A first, B second) {
            this.first = first;
            this.second = second;
        }
    }
}
