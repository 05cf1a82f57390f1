package org.nowag.io.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding that refuses what Java's lenient decoding silently replaces with U+FFFD (invalid bytes, overlong
 * forms, encoded surrogates, code points above U+10FFFF): a tokenizer vocabulary or a header name read leniently is
 * a different name. The error says at which byte offset the bad sequence starts.
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /** Malformed UTF-8 at a byte offset of the input. */
    public static final class MalformedUtf8Exception extends CharacterCodingException {
        private static final long serialVersionUID = 1L;
        private final long offset;
        private final String bytes;

        MalformedUtf8Exception(long offset, String bytes) {
            this.offset = offset;
            this.bytes = bytes;
        }

        /** Byte offset of the first malformed sequence. */
        public long offset() { return offset; }

        @Override
        public String getMessage() {
            return "not valid UTF-8: malformed byte sequence " + bytes + " at byte offset " + offset;
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The whole array as text; the first malformed sequence is an error with its offset. */
    public static String decode(byte[] utf8) throws MalformedUtf8Exception {
        CharsetDecoder d = decoder();
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);  // UTF-8 never yields more chars than bytes
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) r = d.flush(out);
        if (r.isError()) throw malformed(in, 0, r);
        out.flip();
        return out.toString();
    }

    /** A reader that decodes strictly as it goes (for files too large to hold); errors carry the absolute offset. */
    public static Reader reader(InputStream in) {
        return new StrictReader(in);
    }

    private static MalformedUtf8Exception malformed(ByteBuffer in, long base, CoderResult r) {
        int at = in.position();
        int n = Math.max(1, Math.min(r.isError() ? r.length() : 1, in.limit() - at));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < n; i++) hex.append(i == 0 ? "" : " ").append(String.format("0x%02X", in.get(at + i) & 0xff));
        return new MalformedUtf8Exception(base + at, hex.toString());
    }

    private static final class StrictReader extends Reader {
        private final InputStream in;
        private final CharsetDecoder decoder = decoder();
        private final ByteBuffer bytes = ByteBuffer.allocate(64 << 10);
        private final CharBuffer chars = CharBuffer.allocate(16 << 10);
        /** Bytes of the input consumed before bytes[0]: the base of an error's offset. */
        private long base;
        private boolean eof;
        private boolean flushed;

        StrictReader(InputStream in) {
            this.in = in;
            bytes.flip();  // empty, ready to be read from
            chars.flip();
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (!chars.hasRemaining()) {
                if (!fill()) return -1;
            }
            int n = Math.min(len, chars.remaining());
            chars.get(cbuf, off, n);
            return n;
        }

        /** Decodes the next chars into the empty char buffer; false at the end of the input. */
        private boolean fill() throws IOException {
            if (flushed) return false;
            chars.clear();
            while (chars.position() == 0) {
                CoderResult r = decoder.decode(bytes, chars, eof);
                if (r.isError()) throw malformed(bytes, base, r);
                if (r.isOverflow()) break;
                if (eof) {
                    r = decoder.flush(chars);
                    if (r.isError()) throw malformed(bytes, base, r);
                    if (r.isUnderflow()) flushed = true;
                    break;
                }
                refill();
            }
            chars.flip();
            return chars.hasRemaining() || !flushed;
        }

        /** Keeps the undecoded tail (a sequence cut by the buffer's end) and reads more after it. */
        private void refill() throws IOException {
            base += bytes.position();
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
