package org.coffer.backend.wincred.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.WString;
import java.util.List;

/**
 * {@code CREDENTIALW} of wincred.h, field by field: on 64-bit Windows 80 bytes, the
 * blob pointer at offset 40 after 4 bytes of padding.
 */
@Structure.FieldOrder({"Flags", "Type", "TargetName", "Comment", "LastWrittenLow", "LastWrittenHigh",
    "CredentialBlobSize", "CredentialBlob", "Persist", "AttributeCount", "Attributes", "TargetAlias",
    "UserName"})
public class CredentialStructure extends Structure {

    public int Flags;
    public int Type;
    public WString TargetName;
    public WString Comment;
    /** {@code FILETIME.dwLowDateTime} */
    public int LastWrittenLow;
    /** {@code FILETIME.dwHighDateTime} */
    public int LastWrittenHigh;
    public int CredentialBlobSize;
    public Pointer CredentialBlob;
    public int Persist;
    public int AttributeCount;
    public Pointer Attributes;
    public WString TargetAlias;
    public WString UserName;

    public CredentialStructure() {
        super();
    }

    public CredentialStructure(Pointer memory) {
        super(memory);
        read();
    }

    /** @return the offset of a field, for the layout test */
    int offsetOf(String field) {
        return fieldOffset(field);
    }

    /** @return the field order JNA lays out, for the layout test */
    List<String> order() {
        return getFieldOrder();
    }
}
