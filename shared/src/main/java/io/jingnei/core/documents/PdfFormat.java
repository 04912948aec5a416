package io.jingnei.core.documents;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A PDF (PDFBox): one document, a section per page with text, so each chunk records its page. Its
 * title is the PDF's own (Chromium writes the page's {@code <title>}) or the file name. A PDF that
 * needs a password to open, or whose pages hold no text (a scan), is refused with the reason.
 */
final class PdfFormat implements FormatReader {
    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        try (PDDocument pdf = Loader.loadPDF(file.bytes)) {
            String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
            if (title == null || title.isBlank()) {
                title = file.stem();
            }
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            List<SourceDocument.Section> pages = new ArrayList<>();
            for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                String text = stripper.getText(pdf).trim();
                if (!text.isEmpty()) {
                    pages.add(new SourceDocument.Section(title, text, Cite.metadata(Cite.of(file, Cite.page(page)), "page", page)));
                }
            }
            if (pages.isEmpty()) {
                throw new UnreadableFileException("no text layer: OCR it first (" + pdf.getNumberOfPages() + " pages without text)");
            }
            return List.of(new SourceDocument(file.name, Cite.fileMetadata(file), pages));
        } catch (InvalidPasswordException e) {
            throw new UnreadableFileException("encrypted PDF: it needs a password to open; save an unprotected copy", e);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableFileException("corrupt or truncated PDF: " + e.getMessage(), e);
        }
    }
}
