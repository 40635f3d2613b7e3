package org.coffer.files;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says why a file operation failed in words a user can act on. The JDK's file
 * exceptions often carry only the path ("cannot write PATH: PATH"); this names the
 * reason as well.
 */
public final class FileProblem {

    private FileProblem() {
    }

    /**
     * @param file the file an operation was on
     * @param failure what it threw
     * @return the file and the reason, naming the file once ({@code FILE, line 4: ...}
     *         or {@code FILE: permission denied})
     */
    public static String at(java.nio.file.Path file, Exception failure) {
        String text = describe(failure);
        if (text.startsWith(file + ": ") || text.startsWith(file + ", ")) {
            return text;
        }
        return file + ": " + text;
    }

    /**
     * @param failure what an operation on a keyring file threw
     * @return the reason, naming the file concerned
     */
    public static String describe(Exception failure) {
        if (!(failure instanceof FileSystemException)) {
            String message = failure.getMessage();
            return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        }
        FileSystemException e = (FileSystemException) failure;
        String file = e.getFile();
        String other = e.getOtherFile();
        String reason = e.getReason();
        if (reason == null || reason.isBlank()) {
            reason = reasonOf(e);
        }
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(file);
            if (other != null) {
                text.append(" -> ").append(other);
            }
            text.append(": ");
        }
        return text.append(reason).toString();
    }

    private static String reasonOf(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (check the owner and mode of the file and its folder)";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        return e.getClass().getSimpleName();
    }
}
