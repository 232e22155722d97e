// Scan a form's QR code with the device camera (BarcodeDetector where the browser has it; typing works everywhere).
import { CameraOutlined } from '@ant-design/icons';
import { Button, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorCtor = new (o: { formats: string[] }) => Detector;

/** The serial in a scanned QR text: the back-entry URL …/downtime/scan/<serial>, or the serial itself. */
export function serialFromQr(text: string): string {
  const m = /\/downtime\/scan\/([^/?#]+)/.exec(text);
  return decodeURIComponent(m ? m[1] : text)
    .trim()
    .toUpperCase();
}

export function CameraScan({ onSerial }: { onSerial: (serial: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const Ctor = (window as unknown as { BarcodeDetector?: DetectorCtor }).BarcodeDetector;

  useEffect(() => {
    if (!open || !Ctor) return;
    let stream: MediaStream | undefined;
    let stop = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    (async () => {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      if (!video.current) return;
      video.current.srcObject = stream;
      await video.current.play();
      while (!stop) {
        const [hit] = await detector.detect(video.current).catch(() => []);
        if (hit) {
          onSerial(serialFromQr(hit.rawValue));
          setOpen(false);
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch(() => setOpen(false));
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [open, onSerial]);

  if (!Ctor || !navigator.mediaDevices) return null;
  return (
    <>
      <Button icon={<CameraOutlined />} onClick={() => setOpen(true)} data-testid="camera-scan">
        {t('downtime.scan.camera')}
      </Button>
      <Modal open={open} onCancel={() => setOpen(false)} footer={null} title={t('downtime.scan.camera')} destroyOnHidden>
        <video ref={video} style={{ width: '100%' }} muted playsInline />
      </Modal>
    </>
  );
}
